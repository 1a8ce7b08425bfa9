import { configNamespace } from './config-namespace';
import { redisTopologyOf } from './redis-topology';

/** Feedback on traces, queued as MLflow assessments (same Redis and retry pace as exports). */
export const feedbackConfig = configNamespace('feedback', (env) => {
  return {
    redis: redisTopologyOf(env),
    workerEnabled: env.WORKER_ENABLED,
    traceWaitMs: env.FEEDBACK_TRACE_WAIT_SECONDS * 1000,
    maxAttempts: env.FEEDBACK_MAX_ATTEMPTS,
    retryBaseMs: env.EXPORT_RETRY_BASE_MS,
    retryMaxDelayMs: env.EXPORT_RETRY_MAX_DELAY_MS,
    keepCompleted: env.EXPORT_KEEP_COMPLETED,
    keepFailed: env.EXPORT_KEEP_FAILED,
    bufferSize: env.EXPORT_BUFFER_SIZE,
  };
});
