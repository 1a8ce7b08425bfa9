/** Span types MLflow knows; free-form strings are allowed too. */
export type SpanType =
  | 'CHAIN'
  | 'CHAT_MODEL'
  | 'LLM'
  | 'EMBEDDING'
  | 'RETRIEVER'
  | 'TOOL'
  | 'PARSER'
  | 'UNKNOWN'
  | (string & {});

export type SpanStatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface SpanEventRecord {
  name: string;
  /** Nanoseconds since the epoch as decimal digits (exceeds 2^53). */
  timeUnixNano: string;
  attributes: Record<string, string | number | boolean>;
}

/**
 * A finished span, as plain JSON-safe data so it can travel through a queue.
 * Attribute values are typed (objects stay objects); encoders decide how to serialize them.
 */
export interface SpanRecord {
  /** OpenTelemetry trace id, 32 lowercase hex. */
  traceId: string;
  /** 16 lowercase hex. */
  spanId: string;
  /** 16 lowercase hex; absent for a local root with no remote parent. */
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: SpanStatusCode; message?: string };
  attributes: Record<string, unknown>;
  events: SpanEventRecord[];
}

export type TraceState = 'OK' | 'ERROR';

/** Everything the exporter needs to write one trace to MLflow. */
export interface FinishedTrace {
  /** MLflow trace id: "tr-" + the OpenTelemetry trace id. */
  traceId: string;
  /** True when the root span continues a caller's trace: export spans only, the caller owns the trace info. */
  remoteParent: boolean;
  /** Milliseconds since the epoch. */
  requestTime: number;
  executionDurationMs: number;
  state: TraceState;
  requestPreview?: string;
  responsePreview?: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  linkedPrompts?: { name: string; version: string }[];
  spans: SpanRecord[];
}
