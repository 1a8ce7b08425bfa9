import type { RelayedStream } from '../common/sse/sse.relay';

/**
 * An upstream stream as the LLM layer hands it on: its items, recorded on the LLM span as they
 * pass, and their aggregate so far (the one aggregation of the stream). `abort(reason)` cancels
 * the upstream request and records `reason` as the call's failure.
 */
export interface TracedStream<T, A> extends RelayedStream<T> {
  readonly aggregate: A;
  abort(reason: Error): void;
}
