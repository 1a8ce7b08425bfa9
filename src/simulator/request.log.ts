import { SimulatorRequest } from './simulator-request.model';

type Waiter = () => boolean;

/** The simulator's memory of requests, with a way to wait until one reaches a state. */
export class RequestLog {
  private readonly entries: SimulatorRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly enabled: boolean,
    private readonly maxEntries: number,
  ) {}

  get requests(): readonly SimulatorRequest[] {
    return this.entries;
  }

  add(request: SimulatorRequest): void {
    if (!this.enabled) return;
    this.entries.push(request);
    if (this.entries.length > this.maxEntries) this.entries.shift();
    this.changed();
  }

  /** Call after mutating an entry, so waiters look again. */
  changed(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter()) this.waiters.delete(waiter);
    }
  }

  reset(): void {
    this.entries.length = 0;
  }

  /** Resolves with the first entry matching `predicate`, now or later; rejects after `timeoutMs`. */
  waitFor(
    predicate: (request: SimulatorRequest, index: number) => boolean,
    timeoutMs: number,
  ): Promise<SimulatorRequest> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = () => {
        const found = this.entries.find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No simulator request matched within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!waiter()) this.waiters.add(waiter);
    });
  }
}
