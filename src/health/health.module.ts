import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LlmModule } from '../llm/llm.module';
import { UpstreamHealthIndicator } from '../llm/upstream.health';
import { ExportBacklogHealthIndicator } from '../queue/export-backlog.health';
import { QueueModule } from '../queue/queue.module';
import { RedisHealthIndicator } from '../queue/redis.health';
import { MlflowHealthIndicator } from '../mlflow/mlflow.health';
import { HealthController } from './health.controller';

/** Composes the feature folders' health indicators into liveness and readiness. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), LlmModule, QueueModule],
  controllers: [HealthController],
  providers: [
    UpstreamHealthIndicator,
    RedisHealthIndicator,
    MlflowHealthIndicator,
    ExportBacklogHealthIndicator,
  ],
})
export class HealthModule {}
