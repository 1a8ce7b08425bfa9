import { Injectable, Optional } from '@nestjs/common';
import type { APIPromise } from 'openai/core/api-promise';
import { MetricsService } from '../metrics/metrics.service';
import type { ActiveSpan } from '../tracing/active-span';
import { Tracer } from '../tracing/tracer';
import { UpstreamResult } from './llm-call.model';
import { UPSTREAM_REQUEST_ID } from './llm-span.attributes';
import { recordLlmFailure } from './llm-span.lifecycle';
import { mapUpstreamError } from './upstream-error.mapper';

interface UpstreamCall {
  /** The `operation` label of the upstream time histogram. */
  operation: string;
  /** The call's LLM span, current while the request is sent; null when untraced. */
  span: ActiveSpan | null;
}

export interface UnaryCall<T> extends UpstreamCall {
  send: () => Promise<UpstreamResult<T>>;
  /** Records the answer on the span and in the metrics. */
  record: (data: T) => void;
}

export interface StreamCall<T, S> extends UpstreamCall {
  /** The caller's signal (it went away); combined with the relay's `abort`. */
  signal?: AbortSignal;
  send: (signal: AbortSignal) => Promise<UpstreamResult<AsyncIterable<T>>>;
  /** Wraps the upstream stream to record it as it passes; `abort` cancels the request. */
  trace: (data: AsyncIterable<T>, abort: (reason: Error) => void) => S;
}

/** The answer of an SDK call with BytePlus's request id. */
export async function withRequestId<T>(call: APIPromise<T>): Promise<UpstreamResult<T>> {
  const { data, request_id } = await call.withResponse();
  return { data, upstreamRequestId: request_id };
}

/**
 * What every upstream call does around the request itself: sends it inside its span, records the
 * upstream request id, failures and upstream time, maps SDK errors to gateway errors, and ends the
 * span (a stream's span ends with the stream).
 */
@Injectable()
export class UpstreamCallRunner {
  constructor(
    private readonly tracer: Tracer,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async unary<T>(call: UnaryCall<T>): Promise<UpstreamResult<T>> {
    const { span } = call;
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: call.operation });
    let outcome = 'error';
    try {
      const result = await this.tracer.run(span, call.send);
      span?.setAttribute(UPSTREAM_REQUEST_ID, result.upstreamRequestId ?? undefined);
      call.record(result.data);
      outcome = 'ok';
      return result;
    } catch (error) {
      recordLlmFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      timer?.({ outcome });
      span?.end();
    }
  }

  /**
   * Resolves once ModelArk has accepted the request, so errors before the first chunk still
   * become an HTTP status; errors later are thrown by the returned iterator. Whoever relays the
   * stream may abort it (the relay does after STREAM_IDLE_TIMEOUT_MS of upstream silence).
   */
  async stream<T, S>(call: StreamCall<T, S>): Promise<UpstreamResult<S>> {
    const { span } = call;
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: call.operation });
    const upstream = new AbortController();
    const signal = call.signal ? AbortSignal.any([call.signal, upstream.signal]) : upstream.signal;
    let started = false;
    try {
      const result = await this.tracer.run(span, () => call.send(signal));
      span?.setAttribute(UPSTREAM_REQUEST_ID, result.upstreamRequestId ?? undefined);
      started = true;
      const abort = (reason: Error) => upstream.abort(reason);
      return { data: call.trace(result.data, abort), upstreamRequestId: result.upstreamRequestId };
    } catch (error) {
      recordLlmFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      timer?.({ outcome: started ? 'ok' : 'error' });
      if (!started) span?.end();
    }
  }
}
