import { Logger } from '@nestjs/common';
import { closeBullmqWorker, isRedisConnectionError } from '../queue/redis-connection.factory';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { isPermanentExportError } from '../queue/export-backoff';
import { FEEDBACK_QUEUE_NAME } from './feedback.constants';
import type { FeedbackJob, FeedbackResult } from './feedback-job.model';
import { type FeedbackRetryOptions, feedbackBackoffMs } from './feedback-retry.policy';

/**
 * Consumes the feedback queue. A job that cannot succeed (unknown trace after the wait, a 4xx from
 * MLflow) is kept as failed with the reason, never retried and never a crash.
 */
export class FeedbackWorker {
  private readonly logger = new Logger(FeedbackWorker.name);
  private readonly worker: Worker<FeedbackJob, FeedbackResult>;

  constructor(
    private readonly connection: Redis,
    write: (job: FeedbackJob) => Promise<FeedbackResult>,
    options: FeedbackRetryOptions & { concurrency: number },
  ) {
    this.worker = new Worker<FeedbackJob, FeedbackResult>(
      FEEDBACK_QUEUE_NAME,
      async (job) => {
        try {
          return await write(job.data);
        } catch (error) {
          if (isPermanentExportError(error)) throw new UnrecoverableError(describe(error));
          throw error;
        }
      },
      {
        connection,
        concurrency: options.concurrency,
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, error?: Error, job?) =>
            feedbackBackoffMs(attemptsMade, error, job?.data as FeedbackJob | undefined, options),
        },
      },
    );
    this.worker.on('completed', (job, result) => {
      if (result.duplicate) {
        this.logger.log(`Feedback ${job.id} was already on ${job.data.traceId}; not added again`);
      }
    });
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const final =
        error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const message = `Feedback ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`;
      if (final) this.logger.error(`${message}; giving up, the job is kept as failed`);
      else this.logger.warn(`${message}; retrying`);
    });
    this.worker.on('error', (error) => {
      if (!isRedisConnectionError(error)) this.logger.warn(`Worker: ${error.message}`);
    });
  }

  async close(): Promise<void> {
    await closeBullmqWorker(this.worker, this.connection);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
