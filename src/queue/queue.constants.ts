/** BullMQ queue that carries finished traces to the MLflow exporter. */
export const TRACE_EXPORT_QUEUE = 'arkgate-trace-export';
export const TRACE_EXPORT_JOB = 'export-trace';

/** Injection token of the {@link TraceExportDriver} in use (BullMQ or in-process). */
export const TRACE_EXPORT_DRIVER = Symbol('TRACE_EXPORT_DRIVER');

/** Injection token of the MLflow trace exporter the pipeline sends batches to. */
export const TRACE_EXPORTER = Symbol('TRACE_EXPORTER');
