import {
  MLFLOW_INFO_SPAN_TYPES,
  MlflowSpanAttribute,
  MlflowSpanEvent,
  MlflowSpanLogLevel,
} from '../mlflow/mlflow.constants';
import { nowUnixNano } from './span.clock';
import type { ActiveTrace } from './active-trace';
import { newSpanId } from './trace-ids';
import { SpanEventRecord, SpanRecord, SpanStatusCode, SpanType } from './trace.model';

const UNSET = Symbol('unset');

/** A span being recorded. Ending it twice is harmless; nothing here throws into the request. */
export class ActiveSpan {
  readonly spanId = newSpanId();
  readonly startTimeUnixNano = nowUnixNano();
  private readonly attributes: Record<string, unknown> = {};
  private readonly events: SpanEventRecord[] = [];
  private status: { code: SpanStatusCode; message?: string } = { code: 'UNSET' };
  private inputs: unknown = UNSET;
  private outputs: unknown = UNSET;
  private ended = false;

  constructor(
    readonly trace: ActiveTrace,
    readonly name: string,
    readonly spanType: SpanType,
    readonly parentSpanId: string | undefined,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  get hasOutputs(): boolean {
    return this.outputs !== UNSET;
  }

  get isError(): boolean {
    return this.status.code === 'ERROR';
  }

  /** Recorded only when content capture is on (TRACE_CAPTURE_CONTENT). */
  setInputs(inputs: unknown): this {
    if (this.trace.captureContent) this.inputs = inputs;
    return this;
  }

  setOutputs(outputs: unknown): this {
    if (this.trace.captureContent) this.outputs = outputs;
    return this;
  }

  getInputs(): unknown {
    return this.inputs === UNSET ? undefined : this.inputs;
  }

  getOutputs(): unknown {
    return this.outputs === UNSET ? undefined : this.outputs;
  }

  setAttribute(key: string, value: unknown): this {
    if (value !== undefined) this.attributes[key] = value;
    return this;
  }

  getAttribute(key: string): unknown {
    return this.attributes[key];
  }

  setAttributes(attributes: Record<string, unknown>): this {
    for (const [key, value] of Object.entries(attributes)) this.setAttribute(key, value);
    return this;
  }

  addEvent(name: string, attributes: SpanEventRecord['attributes'] = {}): this {
    this.events.push({ name, timeUnixNano: nowUnixNano(), attributes });
    return this;
  }

  /** An `exception` event (type, message, stack) and status ERROR, as MLflow records them. */
  recordException(error: unknown): this {
    const err = error instanceof Error ? error : new Error(String(error));
    const type = err.constructor?.name ?? 'Error';
    this.addEvent(MlflowSpanEvent.exception, {
      [MlflowSpanEvent.exceptionType]: type,
      [MlflowSpanEvent.exceptionMessage]: err.message,
      [MlflowSpanEvent.exceptionStacktrace]: err.stack ?? `${type}: ${err.message}`,
    });
    return this.setStatus('ERROR', `${type}: ${err.message}`);
  }

  setStatus(code: SpanStatusCode, message?: string): this {
    this.status = message === undefined ? { code } : { code, message };
    return this;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.trace.onSpanEnd(this, this.toRecord(nowUnixNano()));
  }

  /** As MLflow's SDKs set it: INFO for model, tool and retrieval spans, DEBUG else, ERROR on an exception. */
  private logLevel(): number {
    if (this.events.some((event) => event.name === MlflowSpanEvent.exception)) {
      return MlflowSpanLogLevel.error;
    }
    return MLFLOW_INFO_SPAN_TYPES.has(this.spanType)
      ? MlflowSpanLogLevel.info
      : MlflowSpanLogLevel.debug;
  }

  private toRecord(endTimeUnixNano: string): SpanRecord {
    const attributes: Record<string, unknown> = {
      [MlflowSpanAttribute.traceRequestId]: this.trace.traceId,
      [MlflowSpanAttribute.spanType]: this.spanType,
      ...this.attributes,
    };
    if (this.inputs !== UNSET) attributes[MlflowSpanAttribute.spanInputs] = this.inputs;
    if (this.outputs !== UNSET) attributes[MlflowSpanAttribute.spanOutputs] = this.outputs;
    attributes[MlflowSpanAttribute.logLevel] ??= this.logLevel();
    const record: SpanRecord = {
      traceId: this.trace.otelTraceId,
      spanId: this.spanId,
      name: this.name,
      startTimeUnixNano: this.startTimeUnixNano,
      endTimeUnixNano,
      status: this.status.code === 'UNSET' ? { code: 'OK' } : this.status,
      attributes,
      events: [...this.events],
    };
    if (this.parentSpanId) record.parentSpanId = this.parentSpanId;
    return record;
  }
}
