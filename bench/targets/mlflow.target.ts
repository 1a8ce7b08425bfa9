import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config';
import { startChild } from '../support/children';
import { freePort, waitForHttp } from '../support/http';

export type MlflowBackend = 'sqlite' | 'postgresql';

export interface MlflowServerOptions {
  backend?: MlflowBackend;
  /** `--workers`; undefined leaves MLflow's default (4). */
  workers?: number;
}

export interface MlflowTarget {
  trackingUri: string;
  backend: MlflowBackend;
  /** What `--workers` was, or 'default'. */
  workers: number | 'default';
  /** The `mlflow server` process; its uvicorn workers are its children. */
  pid: number | undefined;
  /** The bench's own database on the local PostgreSQL (backend 'postgresql'). */
  postgres?: { database: string; sizeBytes(): number };
  /** Stops the server (its whole process group) and deletes its temp dir. */
  dispose(): Promise<void>;
}

/** The venv from scripts/mlflow-venv.sh (created on first use, a few minutes). */
function mlflowVenv(): string {
  const stdout = execFileSync('bash', [join(REPO_ROOT, 'scripts/mlflow-venv.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const venv = stdout.trim().split('\n').pop();
  if (!venv) throw new Error('scripts/mlflow-venv.sh printed no venv path');
  return venv;
}

/** PostgreSQL on this machine (127.0.0.1:5432, trust auth), reached with psql. */
const PSQL = ['-h', '127.0.0.1', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c'];

function psql(sql: string): string {
  return execFileSync('psql', [...PSQL, sql, '-t', '-A'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A database of the bench's own on the local PostgreSQL; dropped by the returned function. */
function createPostgresDatabase(): {
  uri: string;
  database: string;
  sizeBytes: () => number;
  drop: () => void;
} {
  const name = `arkgate_bench_${process.pid}_${Date.now()}`;
  psql(`CREATE DATABASE ${name}`);
  return {
    uri: `postgresql://postgres@127.0.0.1:5432/${name}`,
    database: name,
    sizeBytes: () => Number(psql(`SELECT pg_database_size('${name}')`).trim()),
    drop: () => void psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * `mlflow server` on a free loopback port, quiet like the tests': a SQLite store in a temp dir,
 * or a fresh database on the local PostgreSQL.
 */
export async function startMlflow(
  options: MlflowServerOptions = { workers: 1 },
): Promise<MlflowTarget> {
  const venv = mlflowVenv();
  const backend = options.backend ?? 'sqlite';
  const workDir = mkdtempSync(join(tmpdir(), 'arkgate-bench-mlflow-'));
  const artifacts = join(workDir, 'artifacts');
  mkdirSync(artifacts);
  const postgres = backend === 'postgresql' ? createPostgresDatabase() : undefined;
  // Also on Ctrl-C, when dispose() is never reached (the child itself is killed by children.ts).
  process.once('exit', () => {
    rmSync(workDir, { recursive: true, force: true });
    try {
      postgres?.drop();
    } catch {
      // Best effort at exit.
    }
  });
  const port = await freePort();
  const store = postgres?.uri ?? `sqlite:///${join(workDir, 'mlflow.db')}`;
  const args = ['server', '--backend-store-uri', store];
  args.push('--artifacts-destination', artifacts, '--host', '127.0.0.1', '--port', String(port));
  if (options.workers !== undefined) args.push('--workers', String(options.workers));
  const child = startChild('mlflow', join(venv, 'bin', 'mlflow'), args, {
    cwd: workDir,
    env: {
      ...process.env,
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
      MLFLOW_DISABLE_TELEMETRY: 'true',
      MLFLOW_MODEL_CATALOG_URI: '',
      DO_NOT_TRACK: 'true',
      PYTHONUNBUFFERED: '1',
    },
  });
  const trackingUri = `http://127.0.0.1:${port}`;
  await waitForHttp(
    `${trackingUri}/health`,
    'mlflow',
    180_000,
    () => child.child.exitCode === null,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${child.output()}`);
  });
  return {
    trackingUri,
    backend,
    workers: options.workers ?? 'default',
    pid: child.child.pid,
    postgres: postgres && { database: postgres.database, sizeBytes: postgres.sizeBytes },
    async dispose() {
      await child.stop();
      rmSync(workDir, { recursive: true, force: true });
      postgres?.drop();
    },
  };
}
