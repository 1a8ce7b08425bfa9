import { Logger } from '@nestjs/common';
import { isPermanentFailure } from './job-retry.policy';

export interface InProcessJobQueueOptions<T> {
  /** Names the queue in logs. */
  name: string;
  concurrency: number;
  maxAttempts: number;
  /** Jobs known at once (waiting, running or waiting to retry). */
  capacity: number;
  /** Delay before the next attempt of a job whose attempt `attemptsMade` failed with `error`. */
  backoffMs: (attemptsMade: number, error: unknown, data: T) => number;
}

interface Pending<T> {
  id: string;
  data: T;
  attempts: number;
}

/**
 * Jobs without Redis, for a laptop or a demo: retried with backoff until they succeed, fail with
 * `retryable: false`, or run out of attempts. A job id already known is ignored. Jobs live in
 * this process and are lost if it dies.
 */
export class InProcessJobQueue<T> {
  private readonly logger: Logger;
  private readonly waiting: Pending<T>[] = [];
  private readonly known = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly handler: (data: T) => Promise<unknown>,
    private readonly options: InProcessJobQueueOptions<T>,
  ) {
    this.logger = new Logger(options.name);
  }

  /** Resolves to false when a job with this id is already queued. Rejects when full or closed. */
  async add(id: string, data: T): Promise<boolean> {
    if (this.closed) throw new Error(`${this.options.name} is closed`);
    if (this.known.has(id)) return false;
    if (this.known.size >= this.options.capacity) throw new Error(`${this.options.name} is full`);
    this.known.add(id);
    this.waiting.push({ id, data, attempts: 0 });
    this.pump();
    return true;
  }

  /** True while a job with this id is waiting, running or due for a retry. */
  has(id: string): boolean {
    return this.known.has(id);
  }

  get backlog(): number {
    return this.known.size;
  }

  /** Stops retrying and waits for the jobs in hand. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.allSettled([...this.running]);
    if (this.known.size > 0) this.logger.warn(`${this.known.size} job(s) not done at shutdown`);
  }

  private pump(): void {
    while (
      !this.closed &&
      this.running.size < this.options.concurrency &&
      this.waiting.length > 0
    ) {
      const item = this.waiting.shift()!;
      const run = this.run(item).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(item: Pending<T>): Promise<void> {
    item.attempts += 1;
    try {
      await this.handler(item.data);
      this.known.delete(item.id);
    } catch (error) {
      if (isPermanentFailure(error) || item.attempts >= this.options.maxAttempts) {
        this.known.delete(item.id);
        this.logger.error(`Job ${item.id} failed for good: ${describe(error)}`);
        return;
      }
      const delay = this.options.backoffMs(item.attempts, error, item.data);
      this.logger.warn(`Job ${item.id} failed (${describe(error)}); retry in ${delay} ms`);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.waiting.push(item);
        this.pump();
      }, delay);
      timer.unref();
      this.retryTimers.add(timer);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
