import { configNamespace } from './config-namespace';
import { redisTopologyOf } from './redis-topology';

/** The trace export queue: where it lives, how hard it retries, how much it keeps. */
export const exportConfig = configNamespace('export', (env) => {
  return {
    redis: redisTopologyOf(env),
    workerEnabled: env.WORKER_ENABLED,
    workerMetricsPort: env.WORKER_METRICS_PORT,
    workerMetricsHost: env.HOST,
    concurrency: env.EXPORT_CONCURRENCY,
    batchSize: env.EXPORT_BATCH_SIZE,
    batchWaitMs: env.EXPORT_BATCH_WAIT_MS,
    batchMaxBytes: env.EXPORT_BATCH_MAX_BYTES,
    handoffWaitMs: env.EXPORT_HANDOFF_WAIT_MS,
    traceInfo: env.EXPORT_TRACE_INFO,
    maxAttempts: env.EXPORT_MAX_ATTEMPTS,
    retryBaseMs: env.EXPORT_RETRY_BASE_MS,
    retryMaxDelayMs: env.EXPORT_RETRY_MAX_DELAY_MS,
    bufferSize: env.EXPORT_BUFFER_SIZE,
    spoolDir: env.EXPORT_SPOOL_DIR,
    spoolMaxBytes: env.EXPORT_SPOOL_MAX_BYTES,
    keepCompleted: env.EXPORT_KEEP_COMPLETED,
    keepFailed: env.EXPORT_KEEP_FAILED,
  };
});
