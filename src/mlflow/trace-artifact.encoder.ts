import type { FinishedTrace, SpanRecord, SpanStatusCode } from '../tracing/trace.model';
import { MlflowSpanAttribute } from './mlflow.constants';

// JSON.rawJSON exists from Node 21 (V8 11.4) but is not in TypeScript's lib yet.
const rawJson = (text: string): unknown =>
  (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text);

const STATUS_NAME: Record<SpanStatusCode, string> = {
  UNSET: 'STATUS_CODE_UNSET',
  OK: 'STATUS_CODE_OK',
  ERROR: 'STATUS_CODE_ERROR',
};

/**
 * Encodes a trace as the `traces.json` artifact (`{"spans": [...]}`), the span data file of
 * servers without OTLP ingestion. Mirrors Python's `Span.to_dict`: ids as base64 of the raw
 * bytes, every attribute value JSON-encoded once, event attributes plain, and nanosecond
 * timestamps written as exact integer digits (they exceed 2^53).
 */
export class TraceArtifactEncoder {
  encode(trace: FinishedTrace): string {
    return JSON.stringify({ spans: trace.spans.map((span) => this.span(trace.traceId, span)) });
  }

  private span(mlflowTraceId: string, span: SpanRecord): Record<string, unknown> {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(span.attributes)) {
      if (value !== undefined) attributes[key] = JSON.stringify(value);
    }
    // Python's reader takes the MLflow trace id from this attribute, not from trace_id.
    attributes[MlflowSpanAttribute.traceRequestId] = JSON.stringify(mlflowTraceId);
    return {
      trace_id: hexToBase64(span.traceId),
      span_id: hexToBase64(span.spanId),
      parent_span_id: span.parentSpanId ? hexToBase64(span.parentSpanId) : null,
      name: span.name,
      kind: 'SPAN_KIND_INTERNAL',
      start_time_unix_nano: nanos(span.startTimeUnixNano),
      end_time_unix_nano: nanos(span.endTimeUnixNano),
      events: span.events.map((event) => ({
        name: event.name,
        time_unix_nano: nanos(event.timeUnixNano),
        attributes: event.attributes,
      })),
      status: { code: STATUS_NAME[span.status.code], message: span.status.message ?? '' },
      attributes,
      links: [],
    };
  }
}

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function nanos(digits: string): unknown {
  if (!/^\d+$/.test(digits)) throw new TypeError(`invalid nanosecond timestamp "${digits}"`);
  return rawJson(digits);
}
