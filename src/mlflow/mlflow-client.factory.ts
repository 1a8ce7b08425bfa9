import type { ConfigType } from '@nestjs/config';
import type { mlflowConfig } from '../config/mlflow.config';
import { MlflowClient } from './mlflow.client';

/** A client for the configured tracking server; `timeoutMs` overrides MLFLOW_HTTP_TIMEOUT_MS. */
export function createMlflowClient(
  config: ConfigType<typeof mlflowConfig>,
  timeoutMs: number = config.timeoutMs,
): MlflowClient {
  return new MlflowClient({
    trackingUri: config.trackingUri,
    token: config.token,
    username: config.username,
    password: config.password,
    timeoutMs,
  });
}
