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
 * queue cannot take them (Redis down), they go to a hold (the disk spool, or a memory buffer),
 * opened on first need and let go once everything in it is queued again; what does not fit is
 * counted and logged.
 */
export class TraceExportSink {
  private readonly logger = new Logger('TraceExportSink');
  private readonly inFlight = new Set<Promise<void>>();
  private hold?: TraceHold;
  private releaseTimer?: NodeJS.Timeout;
  private releasing?: Promise<void>;
  private closed = false;
  private droppedBefore = 0;

  constructor(
    private readonly driver: TraceExportDriver,
    private readonly openHold: () => TraceHold,
  ) {}

  get buffered(): number {
    return this.hold?.held ?? 0;
  }

  get droppedTotal(): number {
    return this.droppedBefore + (this.hold?.droppedTotal ?? 0);
  }

  /** Opens the hold now to hand on what an earlier process left in it. */
  resume(): void {
    if (this.holdOpen().held > 0) this.startReleasing();
  }

  submit(job: TraceExportJob): void {
    if (this.closed || this.buffered > 0 || !this.driver.ready) {
      this.keep(job);
      return;
    }
    const handover = this.driver.enqueue(job).catch((error: unknown) => {
      if (this.buffered === 0) {
        this.logger.warn(`Export queue unavailable (${String(error)}); holding traces`);
      }
      this.keep(job);
    });
    this.inFlight.add(handover);
    void handover.finally(() => this.inFlight.delete(handover));
  }

  /** Moves held traces to the queue; stops at the first refusal (or the deadline). */
  flush(deadline?: number): Promise<void> {
    this.releasing ??= this.release(deadline).finally(() => (this.releasing = undefined));
    return this.releasing;
  }

  /** Last chance at shutdown: what cannot be queued stays in the hold (on disk, for the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.stopReleasing();
    await Promise.race([Promise.allSettled([...this.inFlight]), delay(CLOSE_WAIT_MS)]);
    await this.releasing;
    await this.flush(Date.now() + CLOSE_RELEASE_MS);
    await this.letGo();
  }

  private async release(deadline?: number): Promise<void> {
    const hold = this.hold;
    if (!hold || hold.held === 0 || !this.driver.ready) return;
    try {
      const handedOver = await hold.release((jobs) => this.driver.enqueueMany(jobs), deadline);
      if (handedOver > 0)
        this.logger.log(`Export queue is back; ${handedOver} held trace(s) queued`);
      if (hold.held === 0 && !this.closed) await this.letGo();
    } catch {
      // Still unavailable: the timer tries again.
    }
  }

  private keep(job: TraceExportJob): void {
    if (this.holdOpen().hold(job)) this.startReleasing();
  }

  private holdOpen(): TraceHold {
    return (this.hold ??= this.openHold());
  }

  /** Closes the hold (a spool gives its directory back) until it is needed again. */
  private async letGo(): Promise<void> {
    const hold = this.hold;
    if (!hold) return;
    this.hold = undefined;
    this.stopReleasing();
    this.droppedBefore += hold.droppedTotal;
    await hold.close();
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
