import {
  type Attributes,
  type HrTime,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type {
  FinishedTrace,
  SpanRecord,
  SpanStatusCode as RecordStatus,
} from '../tracing/trace.model';
import { MlflowLimit, MlflowSpanAttribute } from './mlflow.constants';
import { truncateForMlflow } from './mlflow-value.truncation';

/** The span shape the OTLP serializer reads (its ReadableSpan), without depending on an SDK. */
type SerializableSpan = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];

export interface OtlpTraceEncoderOptions {
  /** OTel resource attributes sent with every batch, e.g. `{ 'service.name': 'arkgate' }`. */
  resourceAttributes?: Record<string, string>;
  scopeName?: string;
  scopeVersion?: string;
}

const STATUS: Record<RecordStatus, SpanStatusCode> = {
  UNSET: SpanStatusCode.UNSET,
  OK: SpanStatusCode.OK,
  ERROR: SpanStatusCode.ERROR,
};

// The server turns these into the trace's session id and rejects the whole batch (400) when one
// is longer than a metadata value may be; cut them the way the trace info's metadata is cut.
const SESSION_KEYS = new Set<string>([
  MlflowSpanAttribute.sessionId,
  MlflowSpanAttribute.conversationId,
]);

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * Encodes a finished trace as an OTLP/HTTP protobuf `ExportTraceServiceRequest`.
 *
 * Attribute values keep their JSON types, the way MLflow's Python client sends them: strings as
 * `string_value` (not JSON-quoted), integers as `int_value`, other numbers as `double_value`,
 * booleans, arrays as `array_value`, objects as `kvlist_value`, null as an unset value. The server
 * decodes each value and JSON-encodes it exactly once, so objects read back as dicts and strings
 * as plain strings. (Pre-encoded JSON strings would be stored double-encoded; 3.18 happens to strip
 * one layer again, but older servers do not.)
 */
export class OtlpTraceEncoder {
  private readonly resource: Resource;
  private readonly scope: InstrumentationScope;

  constructor(options: OtlpTraceEncoderOptions = {}) {
    this.resource = resourceFromAttributes(options.resourceAttributes ?? {});
    this.scope = { name: options.scopeName ?? 'arkgate', version: options.scopeVersion };
  }

  /** All spans of the trace in one request body (`Content-Type: application/x-protobuf`). */
  encode(trace: FinishedTrace): Uint8Array {
    return this.encodeMany([trace]);
  }

  /** The spans of several traces in one request body; the server stores them in one transaction. */
  encodeMany(traces: readonly FinishedTrace[]): Uint8Array {
    const spans: SerializableSpan[] = [];
    for (const trace of traces) {
      const spanIds = new Set(trace.spans.map((span) => span.spanId));
      for (const span of trace.spans) spans.push(this.toSerializable(span, spanIds));
    }
    const bytes = ProtobufTraceSerializer.serializeRequest(spans);
    if (!bytes) {
      throw new Error(`OTLP serialization of ${traces.map((t) => t.traceId).join(', ')} failed`);
    }
    return bytes;
  }

  private toSerializable(span: SpanRecord, localSpanIds: Set<string>): SerializableSpan {
    assertId(span.traceId, TRACE_ID, 'traceId', span);
    assertId(span.spanId, SPAN_ID, 'spanId', span);
    if (span.parentSpanId !== undefined) assertId(span.parentSpanId, SPAN_ID, 'parentSpanId', span);

    const startTime = toHrTime(span.startTimeUnixNano);
    const endTime = toHrTime(span.endTimeUnixNano);
    const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
    return {
      name: span.name,
      kind: SpanKind.INTERNAL,
      spanContext: () => context,
      parentSpanContext: span.parentSpanId
        ? {
            traceId: span.traceId,
            spanId: span.parentSpanId,
            traceFlags: TraceFlags.SAMPLED,
            isRemote: !localSpanIds.has(span.parentSpanId),
          }
        : undefined,
      startTime,
      endTime,
      duration: toHrTime(String(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano))),
      ended: true,
      status: { code: STATUS[span.status.code], message: span.status.message },
      attributes: toAttributes(span.attributes),
      events: span.events.map((event) => ({
        name: event.name,
        time: toHrTime(event.timeUnixNano),
        attributes: event.attributes,
        droppedAttributesCount: 0,
      })),
      links: [],
      resource: this.resource,
      instrumentationScope: this.scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }
}

/**
 * Normalizes values to what JSON would carry (drops undefined, dates become strings) and keeps
 * nested objects: the serializer writes them as kvlist values although OTel's `Attributes` type
 * only admits primitives and primitive arrays.
 */
function toAttributes(attributes: Record<string, unknown>): Attributes {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (SESSION_KEYS.has(key) && typeof value === 'string') {
      result[key] = truncateForMlflow(value, MlflowLimit.metadataValueChars);
    } else {
      result[key] = value !== null && typeof value === 'object' ? jsonCopy(value) : value;
    }
  }
  return result;
}

function jsonCopy(value: object): unknown {
  return JSON.parse(JSON.stringify(value));
}

function toHrTime(unixNano: string): HrTime {
  const nanos = BigInt(unixNano);
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}

function assertId(value: string, pattern: RegExp, field: string, span: SpanRecord): void {
  if (!pattern.test(value)) {
    throw new TypeError(`span "${span.name}" has an invalid ${field} "${value}" (lowercase hex)`);
  }
}
