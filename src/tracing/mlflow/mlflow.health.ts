import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { mlflowConfig } from '../../config/mlflow.config';
import { operationsConfig } from '../../config/operations.config';

/** Up when the tracking server answers `GET /health` with 2xx within READY_MLFLOW_TIMEOUT_MS. */
@Injectable()
export class MlflowHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(mlflowConfig.KEY) private readonly mlflow: ConfigType<typeof mlflowConfig>,
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {}

  isHealthy(key = 'mlflow') {
    const url = `${this.mlflow.trackingUri.replace(/\/+$/, '')}/health`;
    return this.health
      .check(key)
      .attempt(async ({ signal }) => {
        const response = await fetch(url, { signal });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`MLflow answered ${response.status}`);
      })
      .withTimeout(this.config.readyMlflowTimeoutMs);
  }
}
