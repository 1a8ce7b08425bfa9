import { Logger } from '@nestjs/common';
import type { FinishedTrace } from '../tracing/trace.model';
import { exportBackoffMs, isPermanentExportError } from './export-backoff';
import type { TraceExportDriver, TraceExportHandler } from './trace-export.driver';

export interface InProcessDriverOptions {
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  capacity: number;
}

interface Pending {
  trace: FinishedTrace;
  attempts: number;
}

/**
 * The export queue without Redis, for a laptop or a demo: the same export code and retry policy,
 * but traces live in this process and are lost if it dies.
 */
export class InProcessTraceExportDriver implements TraceExportDriver {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger('InProcessTraceExport');
  private readonly waiting: Pending[] = [];
  private readonly known = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly handler: TraceExportHandler,
    private readonly options: InProcessDriverOptions,
  ) {}

  async enqueue(trace: FinishedTrace): Promise<void> {
    if (this.closed) throw new Error('The export queue is closed');
    if (this.known.has(trace.traceId)) return;
    if (this.known.size >= this.options.capacity) throw new Error('The export queue is full');
    this.known.add(trace.traceId);
    this.waiting.push({ trace, attempts: 0 });
    this.pump();
  }

  async backlog(): Promise<number> {
    return this.known.size;
  }

  /** Stops retrying and waits for the exports in hand. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.allSettled([...this.running]);
    if (this.known.size > 0)
      this.logger.warn(`${this.known.size} trace(s) not exported at shutdown`);
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

  private async run(item: Pending): Promise<void> {
    item.attempts += 1;
    try {
      await this.handler(item.trace);
      this.known.delete(item.trace.traceId);
    } catch (error) {
      if (isPermanentExportError(error) || item.attempts >= this.options.maxAttempts) {
        this.known.delete(item.trace.traceId);
        this.logger.error(`Export of ${item.trace.traceId} failed for good: ${String(error)}`);
        return;
      }
      const delay = exportBackoffMs(
        item.attempts,
        this.options.retryBaseMs,
        this.options.retryMaxDelayMs,
      );
      this.logger.warn(
        `Export of ${item.trace.traceId} failed (${String(error)}); retry in ${delay} ms`,
      );
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
