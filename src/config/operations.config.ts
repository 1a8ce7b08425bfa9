import { configNamespace } from './config-namespace';

/** Running arkgate in production: readiness thresholds, CORS and shutdown. */
export const operationsConfig = configNamespace('operations', (env) => {
  return {
    readyMaxExportBacklog: env.READY_MAX_EXPORT_BACKLOG,
    readyMlflowTimeoutMs: env.READY_MLFLOW_TIMEOUT_MS,
    readyRequiresMlflow: env.READY_REQUIRES_MLFLOW,
    readyRequiresRedis: env.READY_REQUIRES_REDIS,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
});
