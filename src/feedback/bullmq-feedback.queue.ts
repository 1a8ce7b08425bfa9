import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FEEDBACK_JOB, FEEDBACK_QUEUE_NAME } from './feedback.constants';
import type { FeedbackQueue } from './feedback.queue';
import type { FeedbackJob } from './feedback-job.model';

export interface BullmqFeedbackQueueOptions {
  maxAttempts: number;
  keepCompleted: number;
  keepFailed: number;
}

/** Feedback as BullMQ jobs; a job id already in the queue is ignored by BullMQ. */
export class BullmqFeedbackQueue implements FeedbackQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue<FeedbackJob>;

  constructor(
    private readonly connection: Redis,
    private readonly options: BullmqFeedbackQueueOptions,
  ) {
    this.queue = new Queue<FeedbackJob>(FEEDBACK_QUEUE_NAME, { connection });
    this.queue.on('error', () => undefined);
  }

  async enqueue(jobId: string, job: FeedbackJob): Promise<void> {
    if (this.connection.status !== 'ready') {
      throw new Error(`Redis is not connected (${this.connection.status})`);
    }
    await this.queue.add(FEEDBACK_JOB, job, {
      jobId,
      attempts: this.options.maxAttempts,
      backoff: { type: 'feedback' },
      removeOnComplete: { count: this.options.keepCompleted },
      removeOnFail: { count: this.options.keepFailed },
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
