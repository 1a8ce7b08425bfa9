/** Injection token of the {@link TraceSink} finished traces are handed to. */
export const TRACE_SINK = Symbol('TRACE_SINK');

/** Response header carrying the MLflow trace id. */
export const TRACE_ID_HEADER = 'x-mlflow-trace-id';

/** Metadata key marking a controller or handler as not traced. */
export const SKIP_TRACING = Symbol('SKIP_TRACING');

/** Provider name recorded on LLM spans (`mlflow.llm.provider`). */
export const LLM_PROVIDER = 'byteplus';
