import { truncateAttribute } from './attribute.truncation';
import { TraceRedactor } from './trace-redactor';
import { FinishedTrace, SpanRecord } from './trace.model';

/** Applies TRACE_REDACT and TRACE_MAX_ATTRIBUTE_BYTES to a finished trace before it leaves the process. */
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
      spans: trace.spans.map((span) => this.span(span)),
    };
  }

  private span(span: SpanRecord): SpanRecord {
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
