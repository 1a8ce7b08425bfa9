import { jitteredBackoffMs } from '../jobs/job-retry.policy';
import { InProcessJobQueue } from '../jobs/in-process-job.queue';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceExportDriver, TraceExportHandler } from './trace-export.driver';

export interface InProcessDriverOptions {
  /** Jobs handed to the handler at once (the batcher gathers them into requests). */
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  capacity: number;
}

/**
 * The export queue without Redis, for a laptop or a demo: the same export code and retry policy,
 * but traces live in this process and are lost if it dies.
 */
export class InProcessTraceExportDriver implements TraceExportDriver {
  readonly kind = 'in-process' as const;
  readonly ready = true;
  private readonly queue: InProcessJobQueue<TraceExportJob>;

  constructor(handler: TraceExportHandler, options: InProcessDriverOptions) {
    this.queue = new InProcessJobQueue(handler, {
      name: 'InProcessTraceExport',
      concurrency: options.concurrency,
      maxAttempts: options.maxAttempts,
      capacity: options.capacity,
      backoffMs: (attempts) =>
        jitteredBackoffMs(attempts, options.retryBaseMs, options.retryMaxDelayMs),
    });
  }

  async enqueue(job: TraceExportJob): Promise<void> {
    await this.queue.add(job.trace.traceId, job);
  }

  async enqueueMany(jobs: TraceExportJob[]): Promise<void> {
    for (const job of jobs) await this.enqueue(job);
  }

  async has(traceId: string): Promise<boolean> {
    return this.queue.has(traceId);
  }

  async backlog(): Promise<number> {
    return this.queue.backlog;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
