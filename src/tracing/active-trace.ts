import { ActiveSpan } from './active-span';
import {
  MlflowSpanAttribute,
  MlflowTraceMetadata,
  MlflowTraceTag,
} from '../mlflow/mlflow.constants';
import { nanosToMillis } from './span.clock';
import { RemoteParent, newTraceId, toMlflowTraceId } from './trace-ids';
import { requestPreview, responsePreview } from './trace-preview';
import { FinishedTrace, SpanRecord, SpanType } from './trace.model';
import type { TraceSanitizer } from './trace-sanitizer';

export interface ActiveTraceOptions {
  remoteParent: RemoteParent | null;
  captureContent: boolean;
  metadata: Record<string, string>;
  /** How long child spans may stay open after the root ended before they are closed as errors. */
  graceMs: number;
  onFinish: (trace: FinishedTrace) => void;
  /** Redaction and size limits applied once, before the trace is handed over. */
  sanitizer?: TraceSanitizer;
}

interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/** One request's trace: collects ended spans and hands the finished trace over once. */
export class ActiveTrace {
  readonly otelTraceId: string;
  readonly traceId: string;
  readonly metadata: Record<string, string>;
  readonly tags: Record<string, string> = {};
  readonly linkedPrompts: { name: string; version: string }[] = [];
  readonly root: ActiveSpan;
  private readonly records: SpanRecord[] = [];
  private readonly open = new Set<ActiveSpan>();
  private graceTimer?: NodeJS.Timeout;
  private finished = false;

  constructor(
    rootName: string,
    private readonly options: ActiveTraceOptions,
  ) {
    this.otelTraceId = options.remoteParent?.traceId ?? newTraceId();
    this.traceId = toMlflowTraceId(this.otelTraceId);
    this.metadata = { ...options.metadata };
    this.root = this.startSpan(rootName, 'CHAIN', options.remoteParent?.spanId);
  }

  get captureContent(): boolean {
    return this.options.captureContent;
  }

  startSpan(name: string, type: SpanType, parentSpanId: string | undefined): ActiveSpan {
    const span = new ActiveSpan(this, name, type, parentSpanId);
    this.open.add(span);
    return span;
  }

  onSpanEnd(span: ActiveSpan, record: SpanRecord): void {
    if (this.finished) return;
    this.open.delete(span);
    this.records.push(record);
    if (!this.root.isEnded) return;
    if (this.open.size === 0) {
      this.finish();
    } else if (span === this.root) {
      this.graceTimer = setTimeout(() => this.closeOpenSpans(), this.options.graceMs);
      this.graceTimer.unref();
    }
  }

  private closeOpenSpans(): void {
    for (const span of [...this.open]) {
      span.setStatus('ERROR', 'Span was still open when its trace ended').end();
    }
  }

  private finish(): void {
    this.finished = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const rootRecord = this.records.find((record) => record.spanId === this.root.spanId)!;
    const start = nanosToMillis(rootRecord.startTimeUnixNano);
    const metadata = { ...this.metadata };
    const usage = this.aggregateTokenUsage();
    if (usage) metadata[MlflowTraceMetadata.tokenUsage] = JSON.stringify(usage);
    const trace: FinishedTrace = {
      traceId: this.traceId,
      remoteParent: this.options.remoteParent !== null,
      requestTime: start,
      executionDurationMs: Math.max(0, nanosToMillis(rootRecord.endTimeUnixNano) - start),
      state: this.root.isError ? 'ERROR' : 'OK',
      requestPreview: requestPreview(this.redact(this.root.getInputs())),
      responsePreview: responsePreview(this.redact(this.root.getOutputs())),
      metadata,
      tags: { [MlflowTraceTag.traceName]: this.root.name, ...this.tags },
      spans: this.records,
    };
    if (this.linkedPrompts.length > 0) trace.linkedPrompts = [...this.linkedPrompts];
    const sanitizer = this.options.sanitizer;
    this.options.onFinish(sanitizer ? sanitizer.trace(trace) : trace);
  }

  private redact(value: unknown): unknown {
    return value === undefined || !this.options.sanitizer
      ? value
      : this.options.sanitizer.redact(value);
  }

  /** Sums LLM usage over the spans whose parent does not already count it. */
  private aggregateTokenUsage(): TokenUsage | undefined {
    const withUsage = new Map<string, TokenUsage>();
    for (const record of this.records) {
      const usage = record.attributes[MlflowSpanAttribute.chatTokenUsage] as TokenUsage | undefined;
      if (usage) withUsage.set(record.spanId, usage);
    }
    if (withUsage.size === 0) return undefined;
    const total: TokenUsage = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
    for (const record of this.records) {
      const usage = withUsage.get(record.spanId);
      if (!usage || (record.parentSpanId && withUsage.has(record.parentSpanId))) continue;
      total.input_tokens += usage.input_tokens ?? 0;
      total.output_tokens += usage.output_tokens ?? 0;
      total.total_tokens += usage.total_tokens ?? 0;
    }
    return total;
  }
}
