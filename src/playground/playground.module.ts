import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mlflowConfig } from '../config/mlflow.config';
import { createMlflowClient } from '../mlflow/mlflow-client.factory';
import { ExperimentIdLookup } from './experiment-id.lookup';
import { EXPERIMENT_LOOKUP_TIMEOUT_MS } from './playground.constants';
import { PlaygroundController } from './playground.controller';
import { PlaygroundService } from './playground.service';
import { PlaygroundStaticRegistrar } from './playground-static.registrar';

/** A browser page at /playground to chat over SSE, see the trace and give feedback. */
@Module({
  controllers: [PlaygroundController],
  providers: [
    {
      provide: ExperimentIdLookup,
      inject: [mlflowConfig.KEY],
      useFactory: (config: ConfigType<typeof mlflowConfig>) =>
        new ExperimentIdLookup(
          createMlflowClient(config, Math.min(config.timeoutMs, EXPERIMENT_LOOKUP_TIMEOUT_MS)),
          config.experimentName,
        ),
    },
    PlaygroundService,
    PlaygroundStaticRegistrar,
  ],
})
export class PlaygroundModule {}
