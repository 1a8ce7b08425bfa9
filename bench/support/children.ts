import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from './log';

export interface StartedChild {
  name: string;
  child: ChildProcess;
  /** stdout and stderr, capped, for error messages. */
  output(): string;
  /** Resolves with the first line matching `pattern` (or rejects when the process exits first). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const MAX_OUTPUT = 64 * 1024;
const running = new Set<StartedChild>();

/**
 * Spawns a child in its own process group (so MLflow's uvicorn worker goes with it) and tracks it:
 * every child still running is killed when the bench exits, fails, or gets Ctrl-C.
 */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): StartedChild {
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!running.has(started)) return; // stopped on purpose
    running.delete(started);
    const tail = output.split('\n').slice(-15).join('\n');
    log(`${name} (pid ${child.pid}) exited unexpectedly: code ${code}, signal ${signal}\n${tail}`);
  });

  const started: StartedChild = {
    name,
    child,
    output: () => output,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms:\n${output}`),
          );
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`${name} exited (code ${child.exitCode}) during startup:\n${output}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      running.delete(started);
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, 'SIGTERM');
      const killed = sleep(graceMs).then(() => signalGroup(child, 'SIGKILL'));
      await Promise.race([exited, killed]);
      await exited;
      // The group may hold grandchildren that outlive the leader (uvicorn workers).
      signalGroup(child, 'SIGKILL');
    },
  };
  running.add(started);
  return started;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops every child still running, newest first (arkgate before the MLflow it exports to). */
export async function stopAllChildren(): Promise<void> {
  const all = [...running].reverse();
  await Promise.all(all.map((started) => started.stop(5_000)));
}

/** Kills whatever is left on exit, and turns Ctrl-C / SIGTERM into an orderly stop. */
export function installChildCleanup(): void {
  process.on('exit', () => {
    for (const started of running) signalGroup(started.child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping ${running.size} child process(es)`);
      void stopAllChildren().finally(() => process.exit(130));
    });
  }
}
