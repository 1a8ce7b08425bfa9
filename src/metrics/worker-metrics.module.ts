import { Global, Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { ExportMetricsCollector } from './export-metrics.collector';
import { MetricsService } from './metrics.service';
import { WorkerMetricsServer } from './worker-metrics.server';

/** The standalone worker's metrics: the export metrics the API would show, on a port of its own. */
@Global()
@Module({
  imports: [QueueModule],
  providers: [MetricsService, ExportMetricsCollector, WorkerMetricsServer],
  exports: [MetricsService],
})
export class WorkerMetricsModule {}
