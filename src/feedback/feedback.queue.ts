import type { FeedbackJob } from './feedback-job.model';

/** Where feedback waits to be written to MLflow: BullMQ on Redis, or in this process. */
export interface FeedbackQueue {
  readonly kind: 'bullmq' | 'in-process';
  /** Queues the job under `jobId`; a job id already queued is not queued twice. */
  enqueue(jobId: string, job: FeedbackJob): Promise<void>;
  close(): Promise<void>;
}
