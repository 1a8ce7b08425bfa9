import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { REPO_ROOT } from './mlflow-test-env';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  const running = child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  if (!running) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Enough to find and stop a running {@link PrivateRedis} from elsewhere (e.g. the global teardown). */
export interface PrivateRedisState {
  port: number;
  /** redis-server's `--dir`: nothing is written there (no RDB, no AOF), but it is no one else's. */
  dir: string;
  pid?: number;
  /** The process's start time, so a stop from the state never signals a process started elsewhere. */
  startTime?: string;
}

const REDIS_FLAGS = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

export interface PrivateRedisOptions {
  dir?: string;
  /** A port chosen by the caller (free, from {@link freePort}). */
  port?: number;
  /** A config file to start from (Sentinel needs one it can rewrite). */
  configFile?: string;
  /** More flags, after the ones every test server gets (e.g. `--replicaof`, `--sentinel`). */
  args?: string[];
}
const MAX_OUTPUT = 4 * 1024;

const INSTALL_HINT = 'not installed? apt-get install redis-server, or run scripts/test.sh';

let setprivPdeathsig: boolean | undefined;

/** setpriv (util-linux) makes the kernel kill the server when the process that spawned it dies. */
function hasSetprivPdeathsig(): boolean {
  if (setprivPdeathsig === undefined) {
    const help = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
    setprivPdeathsig = help.status === 0 && help.stdout.includes('--pdeathsig');
  }
  return setprivPdeathsig;
}

/** The `process_id` of the Redis answering on `port`, undefined while nothing answers. */
async function serverPid(port: number): Promise<number | undefined> {
  const client = new Redis(`redis://127.0.0.1:${port}/0`, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const match = /^process_id:(\d+)/m.exec(await client.info('server'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/**
 * A process's parent and start time (field 22 of /proc/PID/stat, which identifies it across pid
 * reuse); undefined once it is gone or a zombie.
 */
export function processStat(pid: number): { ppid: number; startTime: string } | undefined {
  try {
    // The command name in parentheses may hold spaces: the fields after it are split.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : { ppid: Number(fields[1]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

const startTimeOf = (pid: number) => processStat(pid)?.startTime;

/**
 * A redis-server of the tests' own (loopback, no persistence) that a test may stop and start on the
 * same port. It dies with the process that started it, where setpriv is available.
 */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(
    private readonly current: PrivateRedisState,
    private readonly options: PrivateRedisOptions = {},
  ) {}

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const port = options.port ?? (await freePort());
    const redis = new PrivateRedis({ port, dir: options.dir ?? tmpdir() }, options);
    await redis.start();
    return redis;
  }

  /** Takes over a server started elsewhere, to stop it. */
  static attach(state: PrivateRedisState): PrivateRedis {
    return new PrivateRedis({ ...state });
  }

  get state(): PrivateRedisState {
    return { ...this.current };
  }

  get port(): number {
    return this.current.port;
  }

  get url(): string {
    return this.dbUrl(0);
  }

  dbUrl(db: number): string {
    return `redis://127.0.0.1:${this.current.port}/${db}`;
  }

  /** Resolves once the server this call spawned (not whatever else could hold the port) answers. */
  async start(timeoutMs = 15_000): Promise<void> {
    const { configFile, args: extra = [] } = this.options;
    const args = [
      ...(configFile ? [configFile] : []),
      '--port',
      String(this.current.port),
      ...REDIS_FLAGS,
      '--dir',
      this.current.dir,
      ...extra,
    ];
    const [command, argv] = hasSetprivPdeathsig()
      ? ['setpriv', ['--pdeathsig', 'KILL', 'redis-server', ...args]]
      : ['redis-server', args];
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let failure: Error | undefined;
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-MAX_OUTPUT));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error) => (failure = error));
    this.child = child;
    this.current.pid = child.pid;
    this.current.startTime = child.pid === undefined ? undefined : startTimeOf(child.pid);
    const giveUp = async (message: string): Promise<never> => {
      await this.stop();
      throw new Error(message);
    };
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (failure) return giveUp(`cannot run ${command} (${INSTALL_HINT}): ${failure.message}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        return giveUp(`redis-server exited during startup (${INSTALL_HINT}):\n${output}`);
      }
      const pid = await serverPid(this.current.port);
      if (pid === child.pid) return;
      if (pid !== undefined) return giveUp(`port ${this.current.port} is served by another Redis`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return giveUp(`redis-server on ${this.current.port} did not answer within ${timeoutMs} ms`);
  }

  /**
   * SIGKILL (it keeps nothing on disk); resolves once the process has exited. Without the child at
   * hand (attached state), only the very process the state names is signalled.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    const { child, current } = this;
    const { pid, startTime } = current;
    this.child = undefined;
    current.pid = undefined;
    current.startTime = undefined;
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
      return;
    }
    if (pid === undefined || startTime === undefined) return;
    const running = () => startTimeOf(pid) === startTime;
    if (!running()) return;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + timeoutMs;
    while (running() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** arkgate's export worker entrypoint (src/worker.ts) as its own process. */
export class WorkerProcess {
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static start(env: Record<string, string>): WorkerProcess {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, 'src', 'worker.ts')],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new WorkerProcess(child);
  }

  get log(): string {
    return this.output;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    this.child.kill(signal);
    await exited(this.child);
    return this.child.exitCode;
  }
}
