import { type DynamicModule, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from './config/app.config';
import type { ArkgateConfig } from './config/arkgate.config';
import { ConfigModule } from './config/config.module';
import { FeedbackModule } from './feedback/feedback.module';
import { loggerOptions } from './logging/logger-options.factory';
import { WorkerMetricsModule } from './metrics/worker-metrics.module';
import { PromptRegistryModule } from './prompts/prompt-registry.module';
import { QueueModule } from './queue/queue.module';

/**
 * The worker alone: no HTTP server, the same providers as the API process for trace export,
 * feedback assessments and the prompt alias refresh, and the same JSON logs.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) => loggerOptions(config),
    }),
    QueueModule,
    WorkerMetricsModule,
    FeedbackModule,
    PromptRegistryModule,
  ],
})
export class WorkerModule {
  static forRoot(config: ArkgateConfig): DynamicModule {
    return { module: WorkerModule, imports: [ConfigModule.forRoot(config)] };
  }
}
