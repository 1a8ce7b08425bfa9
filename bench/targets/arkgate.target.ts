import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_DIR, REPO_ROOT } from '../config';
import { startChild, type StartedChild } from '../support/children';
import { freePort, waitForHttp } from '../support/http';
import type { ChatTarget } from './target.model';

export interface ArkgateOptions {
  label: string;
  arkBaseUrl: string;
  tracing: boolean;
  /** Run the BullMQ export worker inside the API process (the default deployment). */
  worker: boolean;
  redisUrl: string;
  mlflowUri: string;
  experimentName: string;
  exportConcurrency: number;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

export interface ArkgateTarget extends ChatTarget {
  baseUrl: string;
  readonly process: StartedChild;
  ensureAlive(): Promise<boolean>;
}

/** The env every arkgate process of the bench gets; production mode, quiet logs, no auth. */
export function arkgateEnv(options: Omit<ArkgateOptions, 'label' | 'nodeArgs'>) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ARK_BASE_URL: options.arkBaseUrl,
    ARK_API_KEY: 'bench-key',
    ARK_MAX_RETRIES: '0',
    GATEWAY_AUTH: 'off',
    DOCS_ENABLED: 'false',
    TRACING_ENABLED: String(options.tracing),
    WORKER_ENABLED: String(options.worker),
    REDIS_URL: options.redisUrl,
    MLFLOW_TRACKING_URI: options.mlflowUri,
    MLFLOW_EXPERIMENT_NAME: options.experimentName,
    EXPORT_CONCURRENCY: String(options.exportConcurrency),
    // One spool directory per process (arkgate refuses to share one).
    EXPORT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'arkgate-bench-spool-')),
    // The export backlog scenario holds 10k traces in the queue; keep readiness green meanwhile.
    READY_MAX_EXPORT_BACKLOG: '1000000',
  };
}

/** Every unplanned restart, for the results' notes. */
export const arkgateRestarts: string[] = [];

async function spawnArkgate(options: ArkgateOptions, port: number): Promise<StartedChild> {
  const child = startChild(
    `arkgate-${options.label}`,
    process.execPath,
    [...(options.nodeArgs ?? []), join(DIST_DIR, 'main.js')],
    {
      cwd: REPO_ROOT,
      env: { ...arkgateEnv(options), HOST: '127.0.0.1', PORT: String(port) },
    },
  );
  await waitForHttp(
    `http://127.0.0.1:${port}/health/live`,
    `arkgate-${options.label}`,
    60_000,
    () => child.child.exitCode === null,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${child.output()}`);
  });
  return child;
}

/**
 * The built API entrypoint (main.js of DIST_DIR) as its own process; resolves once /health/live
 * is 200. `ensureAlive` starts it again on the same port if something outside the bench stopped it
 * (seen on the shared machine: every arkgate process got a SIGTERM at once).
 */
export async function startArkgate(options: ArkgateOptions): Promise<ArkgateTarget> {
  const port = await freePort();
  let child = await spawnArkgate(options, port);
  const target: ArkgateTarget = {
    name: options.tracing ? 'arkgate-on' : 'arkgate-off',
    chatUrl: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: {},
    get pid() {
      return child.child.pid;
    },
    get process() {
      return child;
    },
    baseUrl: `http://127.0.0.1:${port}`,
    async ensureAlive() {
      if (child.child.exitCode === null && child.child.signalCode === null) return false;
      const why = `code ${child.child.exitCode}, signal ${child.child.signalCode}`;
      arkgateRestarts.push(
        `arkgate-${options.label} stopped from outside (${why}) and was restarted`,
      );
      child = await spawnArkgate(options, port);
      return true;
    },
  };
  return target;
}

type WorkerOptions = Omit<ArkgateOptions, 'label' | 'arkBaseUrl' | 'tracing' | 'worker'> & {
  /** Where it serves /metrics; 0 (default): nowhere. */
  metricsPort?: number;
};

/** The separate export worker entrypoint (dist/worker.js); resolves once it logged it runs. */
export async function startArkgateWorker(options: WorkerOptions): Promise<StartedChild> {
  const { nodeArgs = [], ...rest } = options;
  const env = arkgateEnv({
    ...rest,
    arkBaseUrl: 'http://127.0.0.1:9',
    tracing: true,
    worker: true,
  });
  const child = startChild(
    'arkgate-worker',
    process.execPath,
    [...nodeArgs, join(DIST_DIR, 'worker.js')],
    {
      cwd: REPO_ROOT,
      env: { ...env, LOG_LEVEL: 'info', WORKER_METRICS_PORT: String(options.metricsPort ?? 0) },
    },
  );
  await child.waitForLine(/export worker running/);
  return child;
}

/**
 * The export worker for a whole run: `ensureAlive` starts it again if something outside the bench
 * stopped it, and notes the restart.
 */
export async function startSupervisedArkgateWorker(
  options: WorkerOptions,
): Promise<{ ensureAlive(): Promise<void> }> {
  let worker = await startArkgateWorker(options);
  return {
    async ensureAlive() {
      const { exitCode, signalCode } = worker.child;
      if (exitCode === null && signalCode === null) return;
      arkgateRestarts.push(
        `arkgate-worker stopped from outside (code ${exitCode}, signal ${signalCode}) and was restarted`,
      );
      worker = await startArkgateWorker(options);
    },
  };
}
