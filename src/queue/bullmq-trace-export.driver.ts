import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FinishedTrace } from '../tracing/trace.model';
import { TRACE_EXPORT_JOB, TRACE_EXPORT_QUEUE } from './queue.constants';
import type { TraceExportDriver } from './trace-export.driver';

export interface BullmqDriverOptions {
  maxAttempts: number;
  keepCompleted: number;
  keepFailed: number;
}

/** Finished traces as BullMQ jobs, one per trace, the job id being the trace id. */
export class BullmqTraceExportDriver implements TraceExportDriver {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue<FinishedTrace>;

  constructor(
    private readonly connection: Redis,
    private readonly options: BullmqDriverOptions,
  ) {
    this.queue = new Queue<FinishedTrace>(TRACE_EXPORT_QUEUE, {
      connection,
    });
    // Connection errors are expected while Redis is down; the sink buffers and retries.
    this.queue.on('error', () => undefined);
  }

  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  async enqueue(trace: FinishedTrace): Promise<void> {
    if (!this.ready) throw new Error(`Redis is not connected (${this.connection.status})`);
    // A job id that already exists is ignored by BullMQ: a trace submitted twice is exported once.
    await this.queue.add(TRACE_EXPORT_JOB, trace, {
      jobId: trace.traceId,
      attempts: this.options.maxAttempts,
      backoff: { type: 'export' },
      removeOnComplete: { count: this.options.keepCompleted },
      removeOnFail: { count: this.options.keepFailed },
    });
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
