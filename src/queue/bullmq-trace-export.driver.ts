import type { RedisClient } from '../jobs/redis-connection.factory';
import { BullmqJobQueue } from '../jobs/bullmq-job.queue';
import { TRACE_EXPORT_JOB, TRACE_EXPORT_QUEUE } from './queue.constants';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceExportDriver } from './trace-export.driver';

export interface BullmqDriverOptions {
  maxAttempts: number;
  keepCompleted: number;
  keepFailed: number;
  prefix: string;
  waitReplicas?: number;
  waitTimeoutMs?: number;
  /** How long a finished trace waits for others to share its round trip; 0: one event-loop turn. */
  handoffWaitMs?: number;
}

interface PendingTrace {
  job: TraceExportJob;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Traces handed over in one Redis round trip at most. */
const MAX_BATCH = 256;

/**
 * Finished traces as BullMQ jobs, one per trace, the job id being the trace id. Traces that
 * finish within `handoffWaitMs` of each other are added together: one pipelined round trip, one
 * socket write, whose cost (a syscall, the pipeline's set-up) is shared by the batch rather than
 * paid by every trace. A batch that fills up, or the driver closing, sends at once.
 */
export class BullmqTraceExportDriver implements TraceExportDriver {
  readonly kind = 'bullmq' as const;
  private readonly queue: BullmqJobQueue<TraceExportJob>;
  private pending: PendingTrace[] = [];
  private sendTimer?: NodeJS.Timeout | NodeJS.Immediate;
  private readonly handoffWaitMs: number;

  constructor(connection: RedisClient, options: BullmqDriverOptions) {
    this.handoffWaitMs = options.handoffWaitMs ?? 0;
    this.queue = new BullmqJobQueue(TRACE_EXPORT_QUEUE, connection, {
      ...options,
      jobName: TRACE_EXPORT_JOB,
      backoffType: 'export',
    });
  }

  get ready(): boolean {
    return this.queue.ready;
  }

  get connectionProblem(): string | undefined {
    return this.queue.connectionProblem;
  }

  enqueue(job: TraceExportJob): Promise<void> {
    if (!this.ready) return this.queue.add(job.trace.traceId, job);
    return new Promise((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      if (this.pending.length >= MAX_BATCH) void this.addPending();
      else if (this.pending.length === 1) this.armSend();
    });
  }

  enqueueMany(jobs: TraceExportJob[]): Promise<void> {
    return this.queue.addBulk(jobs.map((job) => ({ id: job.trace.traceId, data: job })));
  }

  has(traceId: string): Promise<boolean> {
    return this.queue.has(traceId);
  }

  backlog(): Promise<number> {
    return this.queue.backlog();
  }

  async close(): Promise<void> {
    await this.addPending();
    await this.queue.close();
  }

  private armSend(): void {
    const send = () => void this.addPending();
    this.sendTimer =
      this.handoffWaitMs > 0 ? setTimeout(send, this.handoffWaitMs) : setImmediate(send);
  }

  private async addPending(): Promise<void> {
    this.disarmSend();
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      await this.enqueueMany(batch.map(({ job }) => job));
      for (const { resolve } of batch) resolve();
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  private disarmSend(): void {
    const timer = this.sendTimer;
    this.sendTimer = undefined;
    if (timer === undefined) return;
    if (this.handoffWaitMs > 0) clearTimeout(timer as NodeJS.Timeout);
    else clearImmediate(timer as NodeJS.Immediate);
  }
}
