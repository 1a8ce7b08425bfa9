import type { FinishedTrace, SpanRecord } from '../tracing/trace.model';
import {
  MLFLOW_TRACE_SCHEMA_VERSION,
  MlflowLimit,
  MlflowSpanAttribute,
  MlflowTraceMetadata,
  MlflowTraceTag,
} from './mlflow.constants';
import { truncateForMlflow } from './mlflow-value.truncation';

/** TraceInfoV3 in protobuf-JSON form (snake_case), as StartTraceV3 takes and returns it. */
export interface TraceInfoJson {
  trace_id: string;
  client_request_id?: string;
  trace_location: { type: 'MLFLOW_EXPERIMENT'; mlflow_experiment: { experiment_id: string } };
  request_preview?: string;
  response_preview?: string;
  request_time: string;
  execution_duration: string;
  state: 'STATE_UNSPECIFIED' | 'OK' | 'ERROR' | 'IN_PROGRESS';
  trace_metadata: Record<string, string>;
  tags: Record<string, string>;
  assessments?: unknown[];
}

export interface StartTraceBody {
  trace: { trace_info: TraceInfoJson };
}

/** Maps a finished trace to the StartTraceV3 request body. */
export class TraceInfoMapper {
  toStartTraceBody(trace: FinishedTrace, experimentId: string): StartTraceBody {
    return { trace: { trace_info: this.toTraceInfo(trace, experimentId) } };
  }

  toTraceInfo(trace: FinishedTrace, experimentId: string): TraceInfoJson {
    const info: TraceInfoJson = {
      trace_id: trace.traceId,
      trace_location: {
        type: 'MLFLOW_EXPERIMENT',
        mlflow_experiment: { experiment_id: experimentId },
      },
      request_time: new Date(trace.requestTime).toISOString(),
      execution_duration: formatDuration(trace.executionDurationMs),
      state: trace.state,
      trace_metadata: this.metadata(trace),
      tags: this.tags(trace),
      assessments: [],
    };
    // Left out when unknown: the server then keeps the previews it derived from the root span.
    if (trace.requestPreview !== undefined) {
      info.request_preview = truncateForMlflow(trace.requestPreview, MlflowLimit.previewChars);
    }
    if (trace.responsePreview !== undefined) {
      info.response_preview = truncateForMlflow(trace.responsePreview, MlflowLimit.previewChars);
    }
    return info;
  }

  /**
   * The trace with its tags, and the metadata MLflow does not derive itself, as
   * `mlflow.traceTag.<key>` attributes of the root span: OTLP ingest (MLflow 3.14+) turns those
   * into trace tags, so the spans alone carry the trace info. Session, user, token usage, state
   * and times the server derives from the spans; the `mlflow.*` metadata keys have no OTLP form.
   */
  withTraceTagsOnRoot(trace: FinishedTrace): FinishedTrace {
    const root = findRoot(trace.spans);
    if (!root || trace.remoteParent) return trace;
    const attributes: Record<string, unknown> = { ...root.attributes };
    const tags = this.tags(trace);
    for (const [key, value] of Object.entries(trace.metadata)) {
      if (!key.startsWith('mlflow.') && !(key in tags)) {
        tags[key] = truncateForMlflow(value, MlflowLimit.tagValueChars);
      }
    }
    for (const [key, value] of Object.entries(tags)) {
      attributes[`${MlflowSpanAttribute.traceTagPrefix}${key}`] = value;
    }
    const spans = trace.spans.map((span) => (span === root ? { ...span, attributes } : span));
    return { ...trace, spans };
  }

  private metadata(trace: FinishedTrace): Record<string, string> {
    const metadata: Record<string, string> = {
      [MlflowTraceMetadata.schemaVersion]: MLFLOW_TRACE_SCHEMA_VERSION,
    };
    for (const [key, value] of Object.entries(trace.metadata)) {
      metadata[key] = truncateForMlflow(value, MlflowLimit.metadataValueChars);
    }
    return metadata;
  }

  private tags(trace: FinishedTrace): Record<string, string> {
    const tags: Record<string, string> = {};
    const rootName = findRoot(trace.spans)?.name;
    if (rootName !== undefined) tags[MlflowTraceTag.traceName] = rootName;
    for (const [key, value] of Object.entries(trace.tags)) tags[key] = value;
    if (trace.linkedPrompts?.length) {
      tags[MlflowTraceTag.linkedPrompts] = mergePromptList(
        tags[MlflowTraceTag.linkedPrompts],
        trace.linkedPrompts,
      );
    }
    const limited: Record<string, string> = {};
    for (const [key, value] of Object.entries(tags)) {
      if (key.length > MlflowLimit.tagKeyChars) continue;
      limited[key] = truncateForMlflow(value, MlflowLimit.tagValueChars);
    }
    return limited;
  }
}

/** protobuf-JSON Duration: seconds with 3 fractional digits, e.g. "1.532s". */
function formatDuration(ms: number): string {
  const millis = Math.max(0, Math.round(ms));
  return `${(millis / 1000).toFixed(3)}s`;
}

type PromptRef = { name: string; version: string };

/** The tag holds a JSON list; like the Python SDK, keep what is there and add what is new. */
function mergePromptList(existing: string | undefined, added: PromptRef[]): string {
  const merged = new Map<string, PromptRef>();
  for (const ref of [...parsePromptList(existing), ...added]) {
    const normalized = { name: ref.name, version: String(ref.version) };
    merged.set(`${normalized.name}\u0000${normalized.version}`, normalized);
  }
  return JSON.stringify([...merged.values()]);
}

function parsePromptList(value: string | undefined): PromptRef[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed)
      ? parsed.filter((item): item is PromptRef => typeof item?.name === 'string')
      : [];
  } catch {
    return [];
  }
}

function findRoot(spans: SpanRecord[]): SpanRecord | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  return spans.find((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
}
