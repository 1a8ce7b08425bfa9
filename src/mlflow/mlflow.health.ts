import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { maskUrlCredentials } from '../common/http/url-credentials';
import { mlflowConfig } from '../config/mlflow.config';
import { operationsConfig } from '../config/operations.config';

/** Whether the tracking server answers `GET /health` with 2xx within READY_MLFLOW_TIMEOUT_MS. */
@Injectable()
export class MlflowHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(mlflowConfig.KEY) private readonly mlflow: ConfigType<typeof mlflowConfig>,
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {}

  isHealthy(key = 'mlflow') {
    return this.health
      .check(key)
      .attempt(({ signal }) => this.probe(signal))
      .withTimeout(this.config.readyMlflowTimeoutMs);
  }

  /** Reports whether MLflow answers without failing the check (READY_REQUIRES_MLFLOW off). */
  async report(key = 'mlflow') {
    const indicator = this.health.check(key);
    try {
      await this.probe(AbortSignal.timeout(this.config.readyMlflowTimeoutMs));
      return indicator.up({ reachable: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return indicator.up({ reachable: false, message });
    }
  }

  /** Up when any of the tracking servers answers (they share one store); says which do not. */
  private async probe(signal: AbortSignal): Promise<void> {
    const results = await Promise.allSettled(
      this.mlflow.trackingUris.map(async (base) => {
        const response = await fetch(`${base.replace(/\/+$/, '')}/health`, { signal });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`MLflow answered ${response.status}`);
      }),
    );
    const several = results.length > 1;
    const failures = results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return [];
      const reason = (result.reason as Error).message;
      return [
        several ? `${maskUrlCredentials(this.mlflow.trackingUris[index])}: ${reason}` : reason,
      ];
    });
    if (failures.length === results.length) throw new Error(failures.join('; '));
  }
}
