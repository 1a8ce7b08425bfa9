/**
 * Time one API request spent waiting on ModelArk, summed over every upstream call and retry, and
 * the routed target that answered it.
 */
export class RequestTiming {
  private upstreamTotalMs = 0;
  private upstreamCalls = 0;
  /** The `id` of the routes-file target that served the request (`x-arkgate-target`). */
  servedBy?: string;
  /** Whether the response cache answered (`x-arkgate-cache`); unset when it was not used. */
  cache?: 'hit' | 'miss';

  /** Records one upstream exchange: request sent until response headers arrived. */
  addUpstream(durationMs: number): void {
    this.upstreamTotalMs += durationMs;
    this.upstreamCalls += 1;
  }

  /** `Server-Timing` value: `upstream` only when ModelArk was called, `total` always. */
  header(totalMs: number): string {
    const total = `total;dur=${totalMs.toFixed(2)}`;
    if (this.upstreamCalls === 0) return total;
    return `upstream;dur=${this.upstreamTotalMs.toFixed(2)}, ${total}`;
  }
}
