import { Logger } from '@nestjs/common';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceExportDriver } from './trace-export.driver';

const FLUSH_INTERVAL_MS = 1_000;

/**
 * Hands finished traces to the export queue without ever making the request wait. While the
 * queue cannot take them (Redis down), they wait in a bounded in-memory buffer that is flushed
 * when it can; what overflows is counted and logged.
 */
export class TraceExportSink {
  private readonly logger = new Logger('TraceExportSink');
  private readonly buffer: TraceExportJob[] = [];
  private flushTimer?: NodeJS.Timeout;
  private flushing = false;
  droppedTotal = 0;

  constructor(
    private readonly driver: TraceExportDriver,
    private readonly capacity: number,
  ) {}

  get buffered(): number {
    return this.buffer.length;
  }

  submit(trace: TraceExportJob): void {
    if (this.buffer.length > 0) {
      this.keep(trace);
      return;
    }
    this.driver.enqueue(trace).catch((error: unknown) => {
      if (this.buffer.length === 0) {
        this.logger.warn(`Export queue unavailable (${String(error)}); buffering traces in memory`);
      }
      this.keep(trace);
    });
  }

  /** Moves buffered traces to the queue; stops at the first one it will not take. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    let handedOver = 0;
    try {
      while (this.buffer.length > 0) {
        await this.driver.enqueue(this.buffer[0]);
        this.buffer.shift();
        handedOver += 1;
      }
      this.stopFlushing();
      if (handedOver > 0)
        this.logger.log(`Export queue is back; ${handedOver} buffered trace(s) queued`);
    } catch {
      // Still unavailable: the timer tries again.
    } finally {
      this.flushing = false;
    }
  }

  /** Last chance at shutdown; reports what could not be handed over. */
  async close(): Promise<void> {
    this.stopFlushing();
    await this.flush();
    if (this.buffer.length > 0) {
      this.logger.error(`${this.buffer.length} buffered trace(s) lost at shutdown`);
    }
  }

  private keep(trace: TraceExportJob): void {
    if (this.buffer.length >= this.capacity) {
      this.droppedTotal += 1;
      if (this.droppedTotal === 1 || this.droppedTotal % 100 === 0) {
        this.logger.error(
          `Trace buffer full (${this.capacity}); ${this.droppedTotal} trace(s) dropped so far`,
        );
      }
      return;
    }
    this.buffer.push(trace);
    if (!this.flushTimer) {
      this.flushTimer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.flushTimer.unref();
    }
  }

  private stopFlushing(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = undefined;
  }
}
