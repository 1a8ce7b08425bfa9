import type { TraceExportJob } from './trace-export-job.model';

/**
 * Where finished traces wait for export. `enqueue` rejects when the queue cannot take the jobs
 * right now (Redis down); the caller keeps them and tries again.
 */
export interface TraceExportDriver {
  readonly kind: 'bullmq' | 'in-process';
  /** True while `enqueue` can succeed (Redis connected). */
  readonly ready: boolean;
  enqueue(job: TraceExportJob): Promise<void>;
  /** Queues many at once (held traces handed on); rejects when the queue cannot take them. */
  enqueueMany(jobs: TraceExportJob[]): Promise<void>;
  /** True while the trace is queued, being exported, or kept as exported or failed. */
  has(traceId: string): Promise<boolean>;
  /** Jobs waiting, delayed or running (for health and metrics). */
  backlog(): Promise<number>;
  close(): Promise<void>;
}

/** Exports one job's trace; throws an error with `retryable: false` when retrying cannot help. */
export type TraceExportHandler = (job: TraceExportJob) => Promise<unknown>;
