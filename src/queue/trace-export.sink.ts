import { Logger } from '@nestjs/common';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceExportDriver } from './trace-export.driver';
import type { TraceHold } from './trace-hold.model';

const RELEASE_INTERVAL_MS = 1_000;
/** At shutdown: how long enqueues under way may take, and how long held traces may be handed on. */
const CLOSE_WAIT_MS = 2_000;
const CLOSE_RELEASE_MS = 5_000;

/**
 * Hands finished traces to the export queue without ever making the request wait. While the
 * queue cannot take them (Redis down), they go to the hold (the disk spool, or a memory buffer)
 * and are handed on once it can; what does not fit is counted and logged.
 */
export class TraceExportSink {
  private readonly logger = new Logger('TraceExportSink');
  private readonly inFlight = new Set<Promise<void>>();
  private releaseTimer?: NodeJS.Timeout;
  private releasing = false;
  private closed = false;

  constructor(
    private readonly driver: TraceExportDriver,
    private readonly hold: TraceHold,
  ) {
    if (hold.held > 0) this.startReleasing();
  }

  get buffered(): number {
    return this.hold.held;
  }

  get droppedTotal(): number {
    return this.hold.droppedTotal;
  }

  submit(job: TraceExportJob): void {
    if (this.closed || this.hold.held > 0 || !this.driver.ready) {
      this.keep(job);
      return;
    }
    const handover = this.driver.enqueue(job).catch((error: unknown) => {
      if (this.hold.held === 0) {
        this.logger.warn(
          `Export queue unavailable (${String(error)}); holding traces (${this.hold.kind})`,
        );
      }
      this.keep(job);
    });
    this.inFlight.add(handover);
    void handover.finally(() => this.inFlight.delete(handover));
  }

  /** Moves held traces to the queue; stops at the first refusal (or the deadline). */
  async flush(deadline?: number): Promise<void> {
    if (this.releasing || this.hold.held === 0 || !this.driver.ready) return;
    this.releasing = true;
    try {
      const handedOver = await this.hold.release((jobs) => this.driver.enqueueMany(jobs), deadline);
      if (this.hold.held === 0) this.stopReleasing();
      if (handedOver > 0)
        this.logger.log(`Export queue is back; ${handedOver} held trace(s) queued`);
    } catch {
      // Still unavailable: the timer tries again.
    } finally {
      this.releasing = false;
    }
  }

  /** Last chance at shutdown: what cannot be queued stays in the hold (on disk, for the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.stopReleasing();
    await Promise.race([Promise.allSettled([...this.inFlight]), delay(CLOSE_WAIT_MS)]);
    await this.flush(Date.now() + CLOSE_RELEASE_MS);
    await this.hold.close();
  }

  private keep(job: TraceExportJob): void {
    if (this.hold.hold(job)) this.startReleasing();
  }

  private startReleasing(): void {
    if (this.releaseTimer || this.closed) return;
    this.releaseTimer = setInterval(() => void this.flush(), RELEASE_INTERVAL_MS);
    this.releaseTimer.unref();
  }

  private stopReleasing(): void {
    if (this.releaseTimer) clearInterval(this.releaseTimer);
    this.releaseTimer = undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
