import { Module } from '@nestjs/common';
import { mlflowExportHandlerProvider } from '../tracing/mlflow/mlflow-exporter.provider';
import { TRACE_SINK } from '../tracing/tracing.constants';
import { traceExportDriverProvider } from './trace-export.providers';
import { TraceExportService } from './trace-export.service';

/** The export path: queue driver, worker, and the sink finished traces go to. */
@Module({
  providers: [
    mlflowExportHandlerProvider,
    traceExportDriverProvider,
    TraceExportService,
    { provide: TRACE_SINK, useExisting: TraceExportService },
  ],
  exports: [TRACE_SINK, TraceExportService],
})
export class QueueModule {}
