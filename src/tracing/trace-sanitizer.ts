import { truncateAttribute } from './attribute.truncation';
import { TraceRedactor } from './trace-redactor';
import { FinishedTrace, SpanRecord } from './trace.model';

/**
 * Applies TRACE_REDACT and TRACE_MAX_ATTRIBUTE_BYTES to a finished trace before it leaves the
 * process. Without redaction rules (the default) only oversized attributes are replaced, and a
 * span whose attributes all fit is handed on as it is.
 */
export class TraceSanitizer {
  constructor(
    private readonly redactor: TraceRedactor,
    private readonly maxAttributeBytes: number,
  ) {}

  /** Redacted, not truncated: the previews are computed from it. */
  redact(value: unknown): unknown {
    return this.redactor.redact(value);
  }

  trace(trace: FinishedTrace): FinishedTrace {
    if (!this.redactor.active)
      return { ...trace, spans: trace.spans.map((s) => this.truncated(s)) };
    const text = (value: string): string => this.redactor.redactText(value);
    const strings = (record: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, text(value)]));
    return {
      ...trace,
      requestPreview: trace.requestPreview === undefined ? undefined : text(trace.requestPreview),
      responsePreview:
        trace.responsePreview === undefined ? undefined : text(trace.responsePreview),
      metadata: strings(trace.metadata),
      tags: strings(trace.tags),
      spans: trace.spans.map((span) => this.redacted(span)),
    };
  }

  /** The span with its oversized attributes replaced; the same span when none is. */
  private truncated(span: SpanRecord): SpanRecord {
    let attributes: Record<string, unknown> | undefined;
    for (const key in span.attributes) {
      const value = span.attributes[key];
      const kept = truncateAttribute(value, this.maxAttributeBytes);
      if (kept === value) continue;
      attributes ??= { ...span.attributes };
      attributes[key] = kept;
    }
    return attributes ? { ...span, attributes } : span;
  }

  private redacted(span: SpanRecord): SpanRecord {
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(span.attributes)) {
      attributes[key] = truncateAttribute(this.redactor.redact(value), this.maxAttributeBytes);
    }
    const status =
      span.status.message === undefined
        ? span.status
        : { ...span.status, message: this.redactor.redactText(span.status.message) };
    const events = span.events.map((event) => ({
      ...event,
      attributes: Object.fromEntries(
        Object.entries(event.attributes).map(([key, value]) => [
          key,
          typeof value === 'string' ? this.redactor.redactText(value) : value,
        ]),
      ),
    }));
    return { ...span, attributes, status, events };
  }
}
