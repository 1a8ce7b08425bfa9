import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { arkConfig } from '../config/ark.config';
import { authConfig } from '../config/auth.config';
import { mlflowConfig } from '../config/mlflow.config';
import { playgroundConfig } from '../config/playground.config';
import { tracingConfig } from '../config/tracing.config';
import { ExperimentIdLookup } from './experiment-id.lookup';
import type { PlaygroundConfigDto } from './playground-config.model';

/** What the page needs to know about this arkgate; holds no secret (but the demo's key hint). */
@Injectable()
export class PlaygroundService {
  constructor(
    @Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>,
    @Inject(arkConfig.KEY) private readonly ark: ConfigType<typeof arkConfig>,
    @Inject(mlflowConfig.KEY) private readonly mlflow: ConfigType<typeof mlflowConfig>,
    @Inject(tracingConfig.KEY) private readonly tracing: ConfigType<typeof tracingConfig>,
    @Inject(playgroundConfig.KEY) private readonly playground: ConfigType<typeof playgroundConfig>,
    private readonly experiments: ExperimentIdLookup,
  ) {}

  async config(): Promise<PlaygroundConfigDto> {
    return {
      authRequired: !this.auth.disabled,
      tokensEnabled: !this.auth.disabled && this.auth.tokenSecret !== undefined,
      tracingEnabled: this.tracing.enabled,
      mlflowUiUrl: this.mlflow.uiUrl || null,
      experimentName: this.mlflow.experimentName,
      experimentId: this.tracing.enabled ? await this.experiments.resolve() : null,
      defaultModel: this.ark.defaultModel ?? '',
      keyHint: this.playground.keyHint ?? null,
    };
  }
}
