/** A caller gave up waiting on a shared call; the call itself goes on. */
export class SingleFlightTimeoutError extends Error {
  constructor(key: string, timeoutMs: number) {
    super(`no answer for ${key} within ${timeoutMs} ms`);
    this.name = 'SingleFlightTimeoutError';
  }
}

/**
 * Runs one call per key at a time: concurrent callers for the same key share its result. Each
 * caller waits at most `timeoutMs`; the call is not cancelled, so its result still lands.
 */
export class SingleFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  get inFlight(): number {
    return this.pending.size;
  }

  run(key: string, call: () => Promise<T>, timeoutMs: number): Promise<T> {
    let flight = this.pending.get(key);
    if (!flight) {
      flight = Promise.resolve()
        .then(call)
        .finally(() => this.pending.delete(key));
      this.pending.set(key, flight);
    }
    return withTimeout(flight, key, timeoutMs);
  }
}

function withTimeout<T>(flight: Promise<T>, key: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SingleFlightTimeoutError(key, timeoutMs)), timeoutMs);
    timer.unref();
  });
  // A flight that fails after its waiters gave up must not be an unhandled rejection.
  flight.catch(() => undefined);
  return Promise.race([flight, timeout]).finally(() => clearTimeout(timer));
}
