import { APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { MetricsService } from '../metrics/metrics.service';
import type { ActiveSpan } from '../tracing/active-span';
import { ChatStreamAggregator } from './chat-stream.aggregator';
import { chatTokenUsage, recordTokenUsage, type UsagePricing } from './llm-span.attributes';
import { tracedStream, type TracedStream } from './traced-stream.model';
import { mapUpstreamError } from './upstream-error.mapper';

export interface TracedStreamOptions {
  /** Drop the usage-only chunk: arkgate asked for it, the caller did not. */
  stripUsageChunk: boolean;
  /** Where time to first token and token usage are counted, labelled by `model`. */
  metrics?: MetricsService;
  model?: string;
  /** The model's price from the routes file (the span's cost) and the request's ledger. */
  pricing?: UsagePricing;
  /** Called with the joined answer once the stream completed (the response cache keeps it). */
  onCompleted?: (completion: ChatCompletion) => void;
  /** Cancels the upstream request (none for an answer replayed from the cache). */
  abort?: (reason: Error) => void;
}

/**
 * Passes each chunk on first, then records it. The span gets the joined ChatCompletion, the
 * usage, a `first_token` event, and ends in `finally`, also when the caller stops early. The
 * joined ChatCompletion so far is the stream's `aggregate`.
 */
export function tracedChatStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  span: ActiveSpan | null,
  options: TracedStreamOptions,
): TracedStream<ChatCompletionChunk, ChatCompletion> {
  const aggregator = new ChatStreamAggregator();
  const items = recordChunks(chunks, span, options, aggregator);
  return tracedStream(items, () => aggregator.result(), span, options.abort);
}

async function* recordChunks(
  chunks: AsyncIterable<ChatCompletionChunk>,
  span: ActiveSpan | null,
  options: TracedStreamOptions,
  aggregator: ChatStreamAggregator,
): AsyncGenerator<ChatCompletionChunk> {
  const startedAt = performance.now();
  let completed = false;
  try {
    for await (const chunk of chunks) {
      if (aggregator.chunkCount === 0) {
        const elapsedMs = performance.now() - startedAt;
        span?.addEvent('first_token', {
          'arkgate.time_to_first_token_ms': Math.round(elapsedMs),
        });
        options.metrics?.timeToFirstToken.observe(
          { model: options.model ?? 'unknown' },
          elapsedMs / 1000,
        );
      }
      aggregator.add(chunk);
      if (options.stripUsageChunk && chunk.choices.length === 0 && chunk.usage) continue;
      yield chunk;
    }
    // A caller that goes away ends the SDK's stream without an error: only a whole answer
    // (every choice with its finish reason) is a completed stream.
    completed = aggregator.finished;
  } catch (error) {
    // A caller that went away is recorded as an abandoned stream below, not as a failure.
    if (!(error instanceof APIUserAbortError)) span?.recordException(error);
    throw mapUpstreamError(error);
  } finally {
    const completion = aggregator.result();
    if (completed) options.onCompleted?.(completion);
    options.metrics?.observeTokens(
      options.model ?? 'unknown',
      completion.usage?.prompt_tokens,
      completion.usage?.completion_tokens,
    );
    // Also without a span: the cost is charged to the request's budget either way.
    recordTokenUsage(span, chatTokenUsage(completion.usage), options.pricing);
    if (span) {
      span.setOutputs(completion);
      if (!completed && !span.isError) {
        span.addEvent('stream_aborted', { 'arkgate.chunks_received': aggregator.chunkCount });
        span.setStatus('ERROR', 'The stream was abandoned before it completed');
      }
      span.end();
    }
  }
}
