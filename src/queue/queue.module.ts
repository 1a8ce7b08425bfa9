import { Global, Module } from '@nestjs/common';
import { TRACE_SINK } from '../tracing/tracing.constants';
import { traceExportDriverProvider, traceExporterProvider } from './trace-export.providers';
import { TraceExportPipeline } from './trace-export.pipeline';
import { TraceExportService } from './trace-export.service';

/**
 * The export path: MLflow exporter, batching pipeline, queue driver, worker, and the sink every
 * finished trace goes to (TRACE_SINK, global so tracing needs no import of the queue).
 */
@Global()
@Module({
  providers: [
    traceExporterProvider,
    TraceExportPipeline,
    traceExportDriverProvider,
    TraceExportService,
    { provide: TRACE_SINK, useExisting: TraceExportService },
  ],
  exports: [TRACE_SINK, TraceExportService, TraceExportPipeline],
})
export class QueueModule {}
