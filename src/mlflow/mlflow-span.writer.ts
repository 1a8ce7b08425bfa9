import type { FinishedTrace } from '../tracing/trace.model';
import type { MlflowClient } from './mlflow.client';
import { MlflowContentType, MlflowHeader, MlflowPath } from './mlflow.constants';
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

  private async send(
    experimentId: string,
    traces: readonly FinishedTrace[],
    failures: Map<string, unknown>,
  ): Promise<void> {
    let body: Uint8Array;
    try {
      body = this.encoder.encodeMany(traces);
    } catch (error) {
      if (traces.length === 1) return void failures.set(traces[0].traceId, error);
      return this.sendHalves(experimentId, traces, failures);
    }
    if (body.byteLength > this.maxRequestBytes && traces.length > 1) {
      return this.sendHalves(experimentId, traces, failures);
    }
    try {
      await this.client.request({
        method: 'POST',
        path: MlflowPath.otlpTraces,
        body,
        contentType: MlflowContentType.protobuf,
        headers: { [MlflowHeader.experimentId]: experimentId },
      });
    } catch (error) {
      if (!isContentRejection(error)) throw error;
      if (traces.length === 1) return void failures.set(traces[0].traceId, error);
      await this.sendHalves(experimentId, traces, failures);
    }
  }

  private async sendHalves(
    experimentId: string,
    traces: readonly FinishedTrace[],
    failures: Map<string, unknown>,
  ): Promise<void> {
    const middle = Math.ceil(traces.length / 2);
    await this.send(experimentId, traces.slice(0, middle), failures);
    await this.send(experimentId, traces.slice(middle), failures);
  }
}

/** 501: store without span logging (FileStore). 404 without an MLflow error code: no such route. */
function isOtlpUnavailable(error: unknown): boolean {
  if (!(error instanceof MlflowRequestError)) return false;
  return error.status === 501 || (error.status === 404 && error.errorCode === 'HTTP_404');
}

/**
 * An answer about this request's content (400, 413, 422, or a 500 the store raised while writing
 * it), as opposed to the server being unreachable, busy or restarting.
 */
function isContentRejection(error: unknown): boolean {
  if (!(error instanceof MlflowRequestError) || error.status === undefined) return false;
  return [400, 413, 422, 500].includes(error.status) && !error.contention;
}
