import { InProcessJobQueue } from '../jobs/in-process-job.queue';
import type { FeedbackQueue } from './feedback.queue';
import type { FeedbackJob } from './feedback-job.model';
import { type FeedbackRetryOptions, feedbackBackoffMs } from './feedback-retry.policy';

export interface InProcessFeedbackQueueOptions extends FeedbackRetryOptions {
  maxAttempts: number;
  capacity: number;
}

/** Feedback without Redis: written from this process, with the same retries. */
export class InProcessFeedbackQueue implements FeedbackQueue {
  readonly kind = 'in-process' as const;
  private readonly jobs: InProcessJobQueue<FeedbackJob>;

  constructor(
    write: (job: FeedbackJob) => Promise<unknown>,
    options: InProcessFeedbackQueueOptions,
  ) {
    this.jobs = new InProcessJobQueue(write, {
      name: 'InProcessFeedback',
      concurrency: 2,
      maxAttempts: options.maxAttempts,
      capacity: options.capacity,
      backoffMs: (attemptsMade, error, job) => feedbackBackoffMs(attemptsMade, error, job, options),
    });
  }

  async enqueue(jobId: string, job: FeedbackJob): Promise<void> {
    await this.jobs.add(jobId, job);
  }

  async close(): Promise<void> {
    await this.jobs.close();
  }
}
