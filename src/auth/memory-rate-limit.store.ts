import type { RateLimitStore, WindowCounts } from './rate-limit.store';

interface Counter {
  windowStart: number;
  requests: number;
  tokens: number;
}

/** Per-process counters, for a single instance without Redis. Keeps one window per key. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, Counter>();

  hit(name: string, windowStart: number, rpm: number, tpm: number): Promise<WindowCounts> {
    const counter = this.current(name, windowStart);
    const refused = (rpm > 0 && counter.requests >= rpm) || (tpm > 0 && counter.tokens >= tpm);
    if (!refused) counter.requests += 1;
    return Promise.resolve({
      allowed: !refused,
      requests: counter.requests,
      tokens: counter.tokens,
    });
  }

  addTokens(name: string, windowStart: number, tokens: number): Promise<void> {
    this.current(name, windowStart).tokens += tokens;
    return Promise.resolve();
  }

  private current(name: string, windowStart: number): Counter {
    let counter = this.counters.get(name);
    if (!counter || counter.windowStart !== windowStart) {
      counter = { windowStart, requests: 0, tokens: 0 };
      this.counters.set(name, counter);
    }
    return counter;
  }
}
