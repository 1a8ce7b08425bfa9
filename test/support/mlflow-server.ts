import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Everything needed to find, stop or restart a running server from another process. */
export interface MlflowServerState {
  venv: string;
  host: string;
  port: number;
  trackingUri: string;
  workDir: string;
  dbPath: string;
  artifactRoot: string;
  logFile: string;
  /** `sqlite` (the default, spans over OTLP) or `file`: FileStore, which has no OTLP ingestion. */
  backend: MlflowBackend;
  storeUri?: string;
  /** Process group leader of the running server (its `mlflow server` process). */
  pid?: number;
}

export type MlflowBackend = 'sqlite' | 'file' | 'postgresql';

export interface MlflowServerCreateOptions {
  venv: string;
  backend?: MlflowBackend;
  /** With the `postgresql` backend: the database, e.g. `postgresql://postgres@127.0.0.1:5432/x`. */
  storeUri?: string;
  /** Where proxied artifacts go; defaults to `artifacts` in the work dir. */
  artifactRoot?: string;
  /** Defaults to a fresh temp dir holding the SQLite DB and the artifact root. */
  workDir?: string;
  logFile?: string;
  port?: number;
  onStateChange?: (state: MlflowServerState) => void;
}

// Work the tests don't need: the huey job runner (a second process, scorer jobs), usage
// telemetry, and the model price catalog the server downloads from GitHub the first time it
// prices a span (an empty URI means the bundled catalog; unreachable, it costs ~7 s per start).
const QUIET_ENV = {
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
  MLFLOW_DISABLE_TELEMETRY: 'true',
  MLFLOW_MODEL_CATALOG_URI: '',
  DO_NOT_TRACK: 'true',
  PYTHONUNBUFFERED: '1',
};

// 3.18 refuses to start on a FileStore unless told to.
const BACKEND_ENV: Record<MlflowBackend, Record<string, string>> = {
  sqlite: {},
  file: { MLFLOW_ALLOW_FILE_STORE: 'true' },
  postgresql: {},
};

/** A real `mlflow server` (SQLite store, proxied artifacts) on a loopback port, for tests. */
export class MlflowServer {
  private child: ChildProcess | undefined;
  private exited = false;

  private constructor(
    private readonly current: MlflowServerState,
    private readonly onStateChange?: (state: MlflowServerState) => void,
  ) {}

  static async create(options: MlflowServerCreateOptions): Promise<MlflowServer> {
    const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'arkgate-mlflow-')));
    const host = '127.0.0.1';
    const port = options.port ?? (await freePort(host));
    return new MlflowServer(
      {
        venv: options.venv,
        host,
        port,
        trackingUri: `http://${host}:${port}`,
        workDir,
        dbPath: join(workDir, 'mlflow.db'),
        artifactRoot: options.artifactRoot ?? join(workDir, 'artifacts'),
        logFile: options.logFile ?? join(workDir, 'mlflow-server.log'),
        backend: options.backend ?? 'sqlite',
        storeUri: options.storeUri,
      },
      options.onStateChange,
    );
  }

  /** Takes over a server started elsewhere (e.g. by the jest global setup). */
  static attach(
    state: MlflowServerState,
    onStateChange?: (state: MlflowServerState) => void,
  ): MlflowServer {
    return new MlflowServer({ ...state }, onStateChange);
  }

  get state(): MlflowServerState {
    return { ...this.current };
  }

  get trackingUri(): string {
    return this.current.trackingUri;
  }

  /** Starts the server and resolves once GET /health answers. */
  async start(timeoutMs = 120_000): Promise<void> {
    if (this.current.pid !== undefined && isAlive(this.current.pid)) {
      throw new Error(`MLflow server already running (pid ${this.current.pid})`);
    }
    mkdirSync(this.current.artifactRoot, { recursive: true });
    mkdirSync(dirname(this.current.logFile), { recursive: true });
    const log = openSync(this.current.logFile, 'a');
    try {
      this.exited = false;
      this.child = spawn(join(this.current.venv, 'bin', 'mlflow'), this.args(), {
        cwd: this.current.workDir,
        env: { ...process.env, ...QUIET_ENV, ...BACKEND_ENV[this.current.backend] },
        stdio: ['ignore', log, log],
        // Own process group, so stop() reaches the uvicorn worker it forks too, and the server
        // can outlive the jest worker that restarted it.
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    this.child.on('exit', () => (this.exited = true));
    this.child.unref();
    this.current.pid = this.child.pid;
    this.onStateChange?.(this.state);
    await this.waitUntilHealthy(timeoutMs);
  }

  /** Stops the whole process group: SIGTERM, then SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const pid = this.current.pid;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      const killDeadline = Date.now() + 5_000;
      while (groupAlive(pid) && Date.now() < killDeadline) await sleep(50);
    }
    this.current.pid = undefined;
    this.child = undefined;
    this.onStateChange?.(this.state);
  }

  /** Stops the server and deletes its work dir (database, artifacts, and the log if inside). */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.current.workDir, { recursive: true, force: true });
  }

  /** Stops and starts again on the same port with the same database and artifacts. */
  async restart(timeoutMs?: number): Promise<void> {
    await this.stop();
    await this.start(timeoutMs);
  }

  async isHealthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.current.trackingUri}/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  logTail(lines = 40): string {
    if (!existsSync(this.current.logFile)) return '(no log)';
    return readFileSync(this.current.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  private args(): string[] {
    const { host, port, dbPath, artifactRoot, workDir, backend, storeUri } = this.current;
    const store =
      backend === 'postgresql'
        ? (storeUri ?? '')
        : backend === 'file'
          ? `file://${join(workDir, 'mlruns')}`
          : `sqlite:///${dbPath}`;
    return [
      'server',
      '--backend-store-uri',
      store,
      '--artifacts-destination',
      artifactRoot,
      '--host',
      host,
      '--port',
      String(port),
      '--workers',
      '1',
    ];
  }

  private async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.isHealthy()) return;
      if (this.exited) {
        this.current.pid = undefined;
        throw new Error(`MLflow server exited during startup; log tail:\n${this.logTail()}`);
      }
      await sleep(200);
    }
    await this.stop();
    throw new Error(
      `MLflow server not healthy on ${this.current.trackingUri} after ${timeoutMs} ms; ` +
        `log tail:\n${this.logTail()}`,
    );
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
