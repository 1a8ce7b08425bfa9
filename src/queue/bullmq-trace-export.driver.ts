import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { TRACE_EXPORT_JOB, TRACE_EXPORT_QUEUE } from './queue.constants';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceExportDriver } from './trace-export.driver';

export interface BullmqDriverOptions {
  maxAttempts: number;
  keepCompleted: number;
  keepFailed: number;
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
 * finish in the same turn of the event loop are added together (one pipelined round trip).
 */
export class BullmqTraceExportDriver implements TraceExportDriver {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue<TraceExportJob>;
  private pending: PendingTrace[] = [];

  constructor(
    private readonly connection: Redis,
    private readonly options: BullmqDriverOptions,
  ) {
    this.queue = new Queue<TraceExportJob>(TRACE_EXPORT_QUEUE, {
      connection,
    });
    // Connection errors are expected while Redis is down; the sink buffers and retries.
    this.queue.on('error', () => undefined);
  }

  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  enqueue(job: TraceExportJob): Promise<void> {
    if (!this.ready) {
      return Promise.reject(new Error(`Redis is not connected (${this.connection.status})`));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.addPending());
      else if (this.pending.length >= MAX_BATCH) void this.addPending();
    });
  }

  async enqueueMany(jobs: TraceExportJob[]): Promise<void> {
    if (!this.ready) throw new Error(`Redis is not connected (${this.connection.status})`);
    await this.add(jobs);
  }

  private async addPending(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      await this.add(batch.map(({ job }) => job));
      for (const { resolve } of batch) resolve();
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  /** A job id that already exists is ignored by BullMQ: a trace submitted twice is exported once. */
  private async add(jobs: TraceExportJob[]): Promise<void> {
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: TRACE_EXPORT_JOB,
        data: job,
        opts: {
          jobId: job.trace.traceId,
          attempts: this.options.maxAttempts,
          backoff: { type: 'export' },
          removeOnComplete: { count: this.options.keepCompleted },
          removeOnFail: { count: this.options.keepFailed },
        },
      })),
    );
  }

  async backlog(): Promise<number> {
    if (!this.ready) return 0;
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  /** Closes the queue and the connection it was handed (BullMQ leaves a given connection open). */
  async close(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
