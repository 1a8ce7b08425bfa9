import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startChild, type StartedChild } from './children';

const run = promisify(execFile);

/**
 * Valgrind names the pipe callgrind_control talks through after $LOGNAME and $HOST: both sides
 * must see the same values, and arkgate itself reads HOST (the address it listens on).
 */
function controlEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { LOGNAME: 'bench', USER: 'bench', HOST: env.HOST ?? 'bench', TMPDIR: tmpdir() };
}

export interface CallgrindChild {
  child: StartedChild;
  /** Sets the instruction counter to zero (from now on counts only what comes next). */
  zero(): Promise<void>;
  /** Instructions executed (every thread of the process) since the last zero. */
  instructions(): Promise<number>;
  stop(): Promise<void>;
}

/** `command args` under `valgrind --tool=callgrind`, counting instructions only. */
export function startUnderCallgrind(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): CallgrindChild {
  const dir = mkdtempSync(join(tmpdir(), 'arkgate-bench-callgrind-'));
  const env = { ...options.env, ...controlEnv(options.env) };
  const child = startChild(
    name,
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${join(dir, 'out')}`,
      '--dump-instr=no',
      '--dump-line=no',
      command,
      ...args,
    ],
    { cwd: options.cwd, env },
  );
  const control = (flag: string) =>
    run('callgrind_control', [flag, String(child.child.pid)], { env: { ...process.env, ...env } });
  let dumps = 0;
  return {
    child,
    zero: async () => void (await control('-z')),
    async instructions() {
      await control('-d');
      dumps += 1;
      const file = join(dir, `out.${dumps}`);
      // The process writes the dump when it next polls for commands.
      for (let waited = 0; waited < 60_000; waited += 250) {
        if (readdirSync(dir).includes(`out.${dumps}`)) {
          const total = readFileSync(file, 'utf8').match(/^totals: (\d+)$/m);
          if (total) return Number(total[1]);
        }
        await sleep(250);
      }
      throw new Error(`${name}: no callgrind dump in ${dir}`);
    },
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
