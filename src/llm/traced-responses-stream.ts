import { APIError, APIUserAbortError } from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import type { ActiveSpan } from '../tracing/active-span';
import { recordTokenUsage, responsesTokenUsage, type UsagePricing } from './llm-span.attributes';
import { ResponsesStreamAggregator } from './responses-stream.aggregator';
import { tracedStream, type TracedStream } from './traced-stream.model';
import { mapUpstreamError } from './upstream-error.mapper';

export interface ResponsesStreamHooks {
  /** Seconds from the start of the stream to its first text delta. */
  firstToken?(seconds: number): void;
  /** The completed Response's usage, once. */
  usage?(usage: { input_tokens?: number; output_tokens?: number } | null | undefined): void;
  /** Cancels the upstream request. */
  abort?(reason: Error): void;
}

/**
 * Passes each Responses event on first, then records it. The span gets the final Response
 * (from `response.completed`), its usage, a `first_token` event at the first delta, and ends in
 * `finally`, also when the caller stops early. A stream that ends without its terminal event is
 * a broken answer, unless the caller went away (`signal`). The Response so far (the announced
 * one with the output items finished so far) is the stream's `aggregate`.
 */
export function tracedResponsesStream(
  events: AsyncIterable<ResponseStreamEvent>,
  span: ActiveSpan | null,
  signal?: AbortSignal,
  hooks: ResponsesStreamHooks = {},
  pricing?: UsagePricing,
): TracedStream<ResponseStreamEvent, Response | undefined> {
  const aggregator = new ResponsesStreamAggregator();
  const items = recordEvents(events, span, aggregator, { signal, hooks, pricing });
  const cancel = (reason: Error) => hooks.abort?.(reason);
  return tracedStream(items, () => aggregator.result(), span, cancel);
}

async function* recordEvents(
  events: AsyncIterable<ResponseStreamEvent>,
  span: ActiveSpan | null,
  aggregator: ResponsesStreamAggregator,
  {
    signal,
    hooks,
    pricing,
  }: { signal?: AbortSignal; hooks: ResponsesStreamHooks; pricing?: UsagePricing },
): AsyncGenerator<ResponseStreamEvent> {
  const startedAt = performance.now();
  let completed = false;
  try {
    for await (const event of events) {
      // The SDK throws on a named `event: error`; an unnamed one is the same failure.
      if (event.type === 'error') throw new APIError(undefined, event, undefined, undefined);
      const firstDelta = aggregator.deltaCount === 0;
      aggregator.add(event);
      if (firstDelta && aggregator.deltaCount === 1) {
        const elapsedMs = performance.now() - startedAt;
        span?.addEvent('first_token', { 'arkgate.time_to_first_token_ms': Math.round(elapsedMs) });
        hooks.firstToken?.(elapsedMs / 1000);
      }
      yield event;
    }
    if (!aggregator.finished && !signal?.aborted) {
      throw new GatewayError('BytePlus ModelArk ended the stream before response.completed.', {
        status: 502,
        code: GatewayErrorCode.UpstreamBadResponse,
        type: 'server_error',
      });
    }
    completed = aggregator.finished;
  } catch (error) {
    // A caller that went away is recorded as an abandoned stream below, not as a failure.
    if (!(error instanceof APIUserAbortError)) span?.recordException(error);
    throw mapUpstreamError(error);
  } finally {
    // Also without a span: the cost is charged to the request's budget either way.
    recordTokenUsage(span, responsesTokenUsage(aggregator.result()?.usage), pricing);
    if (span) recordOutcome(span, aggregator, completed);
    hooks.usage?.(aggregator.result()?.usage);
  }
}

function recordOutcome(
  span: ActiveSpan,
  aggregator: ResponsesStreamAggregator,
  completed: boolean,
): void {
  const response = aggregator.result();
  if (response) span.setOutputs(response);
  const failure = aggregator.failure;
  if (failure !== undefined && !span.isError) {
    span.setStatus('ERROR', `ResponseFailed: ${failure?.message ?? 'the response failed'}`);
  }
  if (!completed && !span.isError) {
    span.addEvent('stream_aborted', { 'arkgate.events_received': aggregator.eventCount });
    span.setStatus('ERROR', 'The stream was abandoned before it completed');
  }
  span.end();
}
