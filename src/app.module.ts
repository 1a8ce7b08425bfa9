import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import type { ArkgateConfig } from './config/arkgate.config';
import { ConfigModule } from './config/config.module';
import { FeedbackModule } from './feedback/feedback.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module';
import { PlaygroundModule } from './playground/playground.module';
import { PromptsModule } from './prompts/prompts.module';
import { QueueModule } from './queue/queue.module';
import { TracingModule } from './tracing/tracing.module';

/** The API process; {@link AppModule.forRoot} with the configuration built once at boot. */
@Module({
  imports: [
    LoggingModule,
    QueueModule,
    TracingModule,
    AuthModule,
    PromptsModule,
    OpenAiCompatModule,
    ChatModule,
    FeedbackModule,
    HealthModule,
    MetricsModule,
    PlaygroundModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class AppModule {
  static forRoot(config: ArkgateConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config)] };
  }
}
