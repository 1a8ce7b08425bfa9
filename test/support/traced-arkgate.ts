import { Redis } from 'ioredis';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.model';
import { startArkgate, type ArkgateEnv, type ArkgateHarness } from './arkgate.harness';
import { MlflowReader } from './mlflow-reader';
import { readMlflowTestEnv } from './mlflow-test-env';
import { PythonTraceReader } from './python-trace.reader';
import { assertTestRedisUrl, testRedisUrl } from './test-redis.env';

export interface TracedArkgate extends ArkgateHarness {
  experimentName: string;
  redisUrl: string;
  reader: MlflowReader;
  python: PythonTraceReader;
  /** The experiment id once arkgate created it (after the first export). */
  experimentId(): Promise<string>;
}

/**
 * Empties one database of the run's own redis-server, so a spec starts with no jobs left by an
 * earlier one; throws for any other Redis.
 */
export async function flushRedisDb(redisUrl: string): Promise<void> {
  assertTestRedisUrl(redisUrl);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/**
 * arkgate with tracing on, exporting through BullMQ (its own database of the run's redis-server,
 * flushed first, or `env.REDIS_URL` as given) to the MLflow server the integration global setup
 * started, into an experiment of its own. Retries are fast.
 */
export async function startTracedArkgate(options: {
  experimentName: string;
  /** The database of the run's redis-server; unused when `env.REDIS_URL` names another server. */
  redisDb: number;
  env?: ArkgateEnv;
  /** The simulator's options (e.g. `tokenDelayMs`), passed on to the harness. */
  simulator?: Partial<SimulatorOptions>;
}): Promise<TracedArkgate> {
  const { trackingUri, venv } = readMlflowTestEnv();
  const ownRedisUrl = options.env?.REDIS_URL;
  const redisUrl = ownRedisUrl ?? testRedisUrl(options.redisDb);
  if (ownRedisUrl === undefined) await flushRedisDb(redisUrl);
  const harness = await startArkgate({
    env: {
      TRACING_ENABLED: 'true',
      MLFLOW_TRACKING_URI: trackingUri,
      MLFLOW_EXPERIMENT_NAME: options.experimentName,
      REDIS_URL: redisUrl,
      ARK_DEFAULT_MODEL: 'seed-1-6-250615',
      EXPORT_RETRY_BASE_MS: '200',
      EXPORT_RETRY_MAX_DELAY_MS: '1000',
      ...options.env,
    },
    simulator: options.simulator,
  });
  const reader = new MlflowReader(trackingUri);
  return {
    ...harness,
    experimentName: options.experimentName,
    redisUrl,
    reader,
    python: new PythonTraceReader(venv, trackingUri),
    experimentId: async () => {
      const experiment = await reader.getExperimentByName(options.experimentName);
      if (!experiment) throw new Error(`experiment ${options.experimentName} does not exist yet`);
      return experiment.experiment_id;
    },
  };
}

/** Polls until `read` returns a value that is not undefined. */
export async function eventually<T>(
  read: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
  );
}
