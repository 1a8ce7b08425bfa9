import type { FinishedTrace } from '../tracing/trace.model';
import type { MlflowClient } from './mlflow.client';
import { MlflowContentType, MlflowHeader, MlflowPath } from './mlflow.constants';
import { MlflowExportError } from './mlflow-export.error';
import { MlflowRequestError } from './mlflow-request.error';
import type { OtlpTraceEncoder } from './otlp-trace.encoder';

const OTLP_REPROBE_MS = 10 * 60_000;

export interface SpanWriteResult {
  /** False when this server cannot take OTLP: the spans must go to the artifact store. */
  otlp: boolean;
  /** Traces whose spans MLflow refused, each with its own error; the others were stored. */
  failures: Map<string, unknown>;
}

/**
 * Sends the spans of many traces in one OTLP request. A request MLflow rejects is split in
 * halves until the trace it cannot take stands alone, so one bad trace never fails the others.
 * Failures that say nothing about the content (network, timeout, 429, 503) fail the whole batch
 * as it is, to be retried later.
 */
export class MlflowSpanWriter {
  /**
   * Set when /v1/traces answered 501 (store without span logging) or 404 (no such route): until
   * then spans go to the artifact store. Probed again later, in case the 404 came from a proxy
   * in the middle of a deploy rather than from an old server.
   */
  private otlpUnavailableUntil = 0;

  constructor(
    private readonly client: MlflowClient,
    private readonly encoder: OtlpTraceEncoder,
    private readonly maxRequestBytes: number,
  ) {}

  async write(experimentId: string, traces: readonly FinishedTrace[]): Promise<SpanWriteResult> {
    const failures = new Map<string, unknown>();
    if (Date.now() < this.otlpUnavailableUntil) return { otlp: false, failures };
    try {
      await this.send(experimentId, traces, failures);
      return { otlp: true, failures };
    } catch (error) {
      if (!isOtlpUnavailable(error)) throw error;
      this.otlpUnavailableUntil = Date.now() + OTLP_REPROBE_MS;
      return { otlp: false, failures: new Map() };
    }
  }

  /**
   * Sends `traces`, splitting on rejection. A clear rejection of the content (400, 413, or a 422
   * that does not speak of the store) is split down to the trace that causes it. An unclear one
   * (a 500, or a 422 "failed to log spans" that lock contention also gives) is split too, but when
   * both halves fail the same way the whole batch fails as it is: MLflow is then struggling, not
   * refusing one trace, and splitting further would only multiply requests.
   */
  private async send(
    experimentId: string,
    traces: readonly FinishedTrace[],
    failures: Map<string, unknown>,
  ): Promise<void> {
    let body: Uint8Array;
    try {
      body = this.encoder.encodeMany(traces);
    } catch (error) {
      if (traces.length > 1) return this.sendHalves(experimentId, traces, failures, false);
      const trace = traces[0];
      failures.set(
        trace.traceId,
        new MlflowExportError(trace.traceId, describe(error), { cause: error }),
      );
      return;
    }
    if (body.byteLength > this.maxRequestBytes && traces.length > 1) {
      return this.sendHalves(experimentId, traces, failures, false);
    }
    try {
      await this.client.request({
        method: 'POST',
        path: MlflowPath.otlpTraces,
        body,
        contentType: MlflowContentType.protobuf,
        headers: { [MlflowHeader.experimentId]: experimentId },
        // Spans are upserted by (trace id, span id).
        idempotent: true,
      });
    } catch (error) {
      const rejection = classify(error);
      if (rejection === 'none') throw error;
      if (traces.length === 1) return void failures.set(traces[0].traceId, error);
      await this.sendHalves(experimentId, traces, failures, rejection === 'unclear', error);
    }
  }

  private async sendHalves(
    experimentId: string,
    traces: readonly FinishedTrace[],
    failures: Map<string, unknown>,
    unclear: boolean,
    cause?: unknown,
  ): Promise<void> {
    const middle = Math.ceil(traces.length / 2);
    const halves = [traces.slice(0, middle), traces.slice(middle)];
    const failed: boolean[] = [];
    for (const half of halves) {
      const before = failures.size;
      await this.send(experimentId, half, failures);
      failed.push(failures.size - before === half.length);
    }
    if (unclear && failed.every(Boolean)) {
      for (const trace of traces) failures.delete(trace.traceId);
      throw cause;
    }
  }
}

type Rejection = 'clear' | 'unclear' | 'none';

/**
 * Whether an error answers this request's content: `clear` for 400/413/422 that do not speak of
 * the store, `unclear` for a 500 or a 422 that may be contention, `none` for MLflow unreachable,
 * busy or restarting (network, timeout, 429, 502-504) and for lock contention named as such.
 */
function classify(error: unknown): Rejection {
  if (!(error instanceof MlflowRequestError) || error.status === undefined) return 'none';
  if (isOtlpUnavailable(error)) return 'none';
  if (error.status === 500)
    return error.contention && !/failed to log/i.test(error.message) ? 'none' : 'unclear';
  if (![400, 413, 422].includes(error.status)) return 'none';
  if (!error.contention) return 'clear';
  return /failed to log opentelemetry spans/i.test(error.message) ? 'unclear' : 'none';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** 501: store without span logging (FileStore). 404 without an MLflow error code: no such route. */
function isOtlpUnavailable(error: unknown): boolean {
  if (!(error instanceof MlflowRequestError)) return false;
  return error.status === 501 || (error.status === 404 && error.errorCode === 'HTTP_404');
}
