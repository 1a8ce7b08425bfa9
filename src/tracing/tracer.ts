import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AsyncLocalStorage } from 'node:async_hooks';
import { tracingConfig } from '../config/tracing.config';
import { ActiveSpan } from './active-span';
import { ActiveTrace } from './active-trace';
import { MlflowTraceMetadata, MLFLOW_TRACE_SCHEMA_VERSION } from '../mlflow/mlflow.constants';
import { RecentTraceIds } from './recent-trace-ids';
import { RemoteParent } from './trace-ids';
import { TraceRedactor } from './trace-redactor';
import { TraceSanitizer } from './trace-sanitizer';
import type { TraceSink } from './trace-sink.model';
import { SpanType } from './trace.model';
import { TRACE_SINK } from './tracing.constants';

/** How many of the traces this process opened it can still name (about 1 MB of ids). */
const RECENT_TRACES = 10_000;

export interface StartTraceOptions {
  remoteParent?: RemoteParent | null;
  metadata?: Record<string, string>;
}

/**
 * Opens traces and spans and carries the current span through async code (AsyncLocalStorage).
 * Telemetry never breaks a request: failures here are logged and the call runs untraced.
 */
@Injectable()
export class Tracer {
  private readonly logger = new Logger(Tracer.name);
  private readonly storage = new AsyncLocalStorage<ActiveSpan>();
  private readonly sanitizer: TraceSanitizer;
  private readonly recent = new RecentTraceIds(RECENT_TRACES);

  constructor(
    @Inject(tracingConfig.KEY) private readonly config: ConfigType<typeof tracingConfig>,
    @Inject(TRACE_SINK) private readonly sink: TraceSink,
  ) {
    this.sanitizer = new TraceSanitizer(
      new TraceRedactor(config.redactionRules),
      config.maxAttributeBytes,
    );
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  /** Opens a trace whose root span (type CHAIN) is returned; null when tracing is off. */
  startTrace(name: string, options: StartTraceOptions = {}): ActiveSpan | null {
    if (!this.config.enabled) return null;
    try {
      const trace = new ActiveTrace(name, {
        remoteParent: options.remoteParent ?? null,
        captureContent: this.config.captureContent,
        graceMs: this.config.spanGraceMs,
        metadata: {
          [MlflowTraceMetadata.schemaVersion]: MLFLOW_TRACE_SCHEMA_VERSION,
          [MlflowTraceMetadata.sourceName]: 'arkgate',
          'arkgate.version': this.config.version,
          'arkgate.environment': this.config.environment,
          ...options.metadata,
        },
        onFinish: (finished) => this.sink.submit(finished),
        sanitizer: this.sanitizer,
      });
      this.recent.add(trace.traceId);
      return trace.root;
    } catch (error) {
      this.logger.warn(`Could not start a trace: ${String(error)}`);
      return null;
    }
  }

  /** True when this process opened the trace (one of its last 10,000), finished or not. */
  opened(traceId: string): boolean {
    return this.recent.has(traceId);
  }

  /** A child of the current span, or null when there is no current trace. */
  startSpan(name: string, type: SpanType): ActiveSpan | null {
    const parent = this.storage.getStore();
    if (!parent || parent.trace.root.isEnded) return null;
    return parent.trace.startSpan(name, type, parent.spanId);
  }

  /** Runs `fn` with `span` as the current span. */
  run<T>(span: ActiveSpan | null, fn: () => T): T {
    return span ? this.storage.run(span, fn) : fn();
  }

  currentSpan(): ActiveSpan | undefined {
    return this.storage.getStore();
  }

  /** The MLflow id of the current request's trace, if it has one. */
  currentTraceId(): string | undefined {
    return this.storage.getStore()?.trace.traceId;
  }

  /** The root span of the current request's trace. */
  currentRoot(): ActiveSpan | undefined {
    return this.storage.getStore()?.trace.root;
  }
}
