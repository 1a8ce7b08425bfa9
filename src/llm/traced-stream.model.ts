import type { RelayedStream } from '../common/sse/sse.relay';
import type { ActiveSpan } from '../tracing/active-span';

/**
 * An upstream stream as the LLM layer hands it on: its items, recorded on the LLM span as they
 * pass, and their aggregate so far (the one aggregation of the stream). `abort(reason)` cancels
 * the upstream request and records `reason` as the call's failure.
 */
export interface TracedStream<T, A> extends RelayedStream<T> {
  readonly aggregate: A;
  abort(reason: Error): void;
}

/**
 * `items` (one pass of a recording generator) as a {@link TracedStream}: `abort(reason)` records
 * `reason` on the span, then cancels the upstream request.
 */
export function tracedStream<T, A>(
  items: AsyncIterator<T>,
  aggregate: () => A,
  span: ActiveSpan | null,
  cancel?: (reason: Error) => void,
): TracedStream<T, A> {
  return {
    [Symbol.asyncIterator]: () => items,
    get aggregate() {
      return aggregate();
    },
    abort(reason) {
      span?.recordException(reason);
      cancel?.(reason);
    },
  };
}
