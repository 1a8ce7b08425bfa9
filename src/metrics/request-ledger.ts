/**
 * What one API request took upstream: time spent waiting on ModelArk (summed over every call and
 * retry), the routed target that answered, whether the cache did, and what it cost.
 */
export class RequestLedger {
  private upstreamTotalMs = 0;
  private upstreamCalls = 0;
  /** The `id` of the routes-file target that served the request (`x-arkgate-target`). */
  servedBy?: string;
  /** Whether the response cache answered (`x-arkgate-cache`); unset when it was not used. */
  cache?: 'hit' | 'miss';
  private costTotalUsd = 0;

  /** USD the request's LLM calls cost at the routes file's prices (charged to budgets). */
  get costUsd(): number {
    return this.costTotalUsd;
  }

  addCost(usd: number): void {
    this.costTotalUsd += usd;
  }

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
