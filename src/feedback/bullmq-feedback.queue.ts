import type { RedisClient } from '../jobs/redis-connection.factory';
import { BullmqJobQueue } from '../jobs/bullmq-job.queue';
import { FEEDBACK_JOB, FEEDBACK_QUEUE_NAME } from './feedback.constants';
import type { FeedbackQueue } from './feedback.queue';
import type { FeedbackJob } from './feedback-job.model';

export interface BullmqFeedbackQueueOptions {
  maxAttempts: number;
  keepCompleted: number;
  keepFailed: number;
  prefix: string;
  waitReplicas?: number;
  waitTimeoutMs?: number;
}

/** Feedback as BullMQ jobs; a job id already in the queue is ignored by BullMQ. */
export class BullmqFeedbackQueue implements FeedbackQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: BullmqJobQueue<FeedbackJob>;

  constructor(connection: RedisClient, options: BullmqFeedbackQueueOptions) {
    this.queue = new BullmqJobQueue(FEEDBACK_QUEUE_NAME, connection, {
      maxAttempts: options.maxAttempts,
      keepCompleted: options.keepCompleted,
      keepFailed: options.keepFailed,
      prefix: options.prefix,
      waitReplicas: options.waitReplicas,
      waitTimeoutMs: options.waitTimeoutMs,
      jobName: FEEDBACK_JOB,
      backoffType: 'feedback',
    });
  }

  enqueue(jobId: string, job: FeedbackJob): Promise<void> {
    return this.queue.add(jobId, job);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
