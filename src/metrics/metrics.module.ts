import { Global, Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { ExportMetricsCollector } from './export-metrics.collector';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** `GET /metrics` and the {@link MetricsService} other features record into. */
@Global()
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetricsHook, ExportMetricsCollector],
  exports: [MetricsService],
})
export class MetricsModule {}
