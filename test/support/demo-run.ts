import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, processStat } from './child-services';
import { REPO_ROOT } from './mlflow-test-env';
import { eventually } from './traced-arkgate';

export interface Printed {
  playground: string;
  docs: string;
  mlflow: string;
  key: string;
  experiment: string;
  /** The two `curl` calls, each as one shell command (continuation lines joined). */
  calls: string[];
}

/** Reads what `npm run demo` printed once everything answered. */
export function parsePrinted(output: string): Printed {
  const field = (pattern: RegExp) => {
    const found = pattern.exec(output);
    if (!found) throw new Error(`the demo did not print ${pattern}:\n${output}`);
    return found[1];
  };
  const tryBlock = output.slice(output.indexOf('Try:'), output.indexOf('Ctrl-C stops'));
  const calls = tryBlock
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('curl '));
  return {
    playground: field(/playground\s+(\S+)/),
    key: field(/playground\s+\S+\s+\(API key: (\S+)\)/),
    docs: field(/API docs\s+(\S+)/),
    mlflow: field(/MLflow\s+(http\S+)/),
    experiment: field(/experiment "([^"]+)"/),
    calls,
  };
}

export interface DemoChild {
  pid: number;
  command: string;
  /** From /proc/<pid>/stat, so a stop never signals a process that took the pid later. */
  startTime: string;
}

/** The processes the demo script started (each runs in a process group of its own). */
function childrenOf(parent: number): DemoChild[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .flatMap((pid) => {
      const stat = processStat(pid);
      if (stat?.ppid !== parent) return [];
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      return [{ pid, command, startTime: stat.startTime }];
    });
}

export const isRunning = (child: DemoChild) =>
  processStat(child.pid)?.startTime === child.startTime;

/** True while something accepts connections on the loopback port. */
export function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export interface DemoPorts {
  arkgate: number;
  mlflow: number;
  simulator: number;
}

/**
 * `scripts/demo.sh` as a new user runs it (no upstream key, no Redis, no tracking server), on
 * free ports with a data directory of its own, started and stopped by a test.
 */
export class DemoRun {
  output = '';
  printed!: Printed;
  /** What the script started: MLflow, the simulator, arkgate. */
  children: DemoChild[] = [];
  private script?: ChildProcess;

  private constructor(
    readonly ports: DemoPorts,
    private readonly dataDir: string,
  ) {}

  /** Resolves once the demo printed its addresses (everything answers). */
  static async start(): Promise<DemoRun> {
    const ports = {
      arkgate: await freePort(),
      mlflow: await freePort(),
      simulator: await freePort(),
    };
    const run = new DemoRun(ports, mkdtempSync(join(tmpdir(), 'arkgate-demo-')));
    await run.launch();
    return run;
  }

  /** Sends the script a signal (SIGINT is Ctrl-C) and resolves to its exit code. */
  async signal(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<number | null> {
    this.script!.kill(signal);
    return this.exit(timeoutMs);
  }

  /** Resolves to the script's exit code; rejects when it is still running after `timeoutMs`. */
  exit(timeoutMs = 30_000): Promise<number | null> {
    return Promise.race([
      exited(this.script!),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the demo still runs:\n${this.output}`)), timeoutMs),
      ),
    ]);
  }

  /** Stops whatever is left (the script, then each piece by process group) and removes the data. */
  async close(): Promise<void> {
    const script = this.script;
    if (script && script.exitCode === null && script.signalCode === null) {
      await this.signal('SIGINT', 20_000).catch(() => undefined);
    }
    for (const child of this.children.filter(isRunning)) process.kill(-child.pid, 'SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(this.ports.arkgate),
      MLFLOW_PORT: String(this.ports.mlflow),
      SIMULATOR_PORT: String(this.ports.simulator),
      DEMO_DATA_DIR: this.dataDir,
    };
    for (const name of [
      'ARK_API_KEY',
      'ARK_BASE_URL',
      'REDIS_URL',
      'MLFLOW_TRACKING_URI',
      'NODE_ENV',
    ]) {
      delete env[name];
    }
    const script = spawn('bash', [join(REPO_ROOT, 'scripts', 'demo.sh')], { cwd: REPO_ROOT, env });
    this.script = script;
    script.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    script.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await eventually(async () => {
      if (script.exitCode !== null) throw new Error(`the demo exited early:\n${this.output}`);
      return this.output.includes('Ctrl-C stops everything') || undefined;
    }, 200_000);
    this.printed = parsePrinted(this.output);
    this.children = childrenOf(script.pid!);
  }
}
