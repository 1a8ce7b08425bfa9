import { Injectable, OnModuleInit } from '@nestjs/common';
import { TraceExportPipeline } from '../queue/trace-export.pipeline';
import { TraceExportService } from '../queue/trace-export.service';
import { MetricsService } from './metrics.service';

/**
 * Counts exports where they run (lag, failures, retries), and exposes the export path's state
 * (queue depth, buffered and dropped traces) at scrape time.
 */
@Injectable()
export class ExportMetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly exports: TraceExportService,
    private readonly pipeline: TraceExportPipeline,
  ) {}

  onModuleInit(): void {
    this.pipeline.observe({
      exported: ({ trace }) =>
        this.metrics.recordExported(trace.requestTime + trace.executionDurationMs),
      failed: (_job, _error, permanent) => this.metrics.recordExportFailure(permanent),
    });
    this.metrics.addGauge(
      'arkgate_export_queue_depth',
      'Traces waiting, delayed or being exported in the export queue',
      () => this.exports.driver.backlog().catch(() => 0),
    );
    this.metrics.addGauge(
      'arkgate_traces_buffered',
      'Finished traces waiting for the queue to take them (disk spool, or memory without it)',
      () => this.exports.bufferedTraces,
    );
    this.metrics.addCounter(
      'arkgate_traces_dropped_total',
      'Traces dropped because the spool (or the memory buffer) was full or unwritable',
      () => this.exports.droppedTraces,
    );
  }
}
