import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { isPermanentFailure } from './job-retry.policy';
import {
  closeBullmqWorker,
  isRedisConnectionError,
  type RedisClient,
} from './redis-connection.factory';

/** How often at most a burst of retried failures is logged (one line with the count). */
const RETRY_LOG_INTERVAL_MS = 10_000;

export interface BullmqJobWorkerOptions<T> {
  /** Names the worker in logs, e.g. "Export" or "Feedback". */
  name: string;
  /** BullMQ's key prefix (the topology's `queuePrefix`). */
  prefix: string;
  concurrency: number;
  /** Delay before the next attempt of a job whose attempt `attemptsMade` failed with `error`. */
  backoffMs?: (attemptsMade: number, error: Error | undefined, data: T | undefined) => number;
}

/**
 * The one processor shape of every BullMQ queue arkgate consumes: `handle` runs each job; an
 * error with `retryable: false` fails the job at once (kept as failed with its reason), any other
 * is retried with `backoffMs` until the job's attempts run out. Final failures are logged one by
 * one, retries summed up every ten seconds; Redis connection errors are left to the connection.
 */
export class BullmqJobWorker<T, R = unknown> {
  private readonly logger: Logger;
  private readonly worker: Worker<T, R>;
  private retried = 0;
  private lastRetryLog = 0;

  constructor(
    queueName: string,
    private readonly connection: RedisClient,
    handle: (data: T, job: Job<T, R>) => Promise<R>,
    options: BullmqJobWorkerOptions<T>,
  ) {
    this.logger = new Logger(`${options.name}Worker`);
    const backoffMs = options.backoffMs;
    this.worker = new Worker<T, R>(
      queueName,
      async (job) => {
        try {
          return await handle(job.data, job);
        } catch (error) {
          if (isPermanentFailure(error)) throw new UnrecoverableError(describe(error));
          throw error;
        }
      },
      {
        connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        settings: backoffMs && {
          backoffStrategy: (attemptsMade: number, _type?: string, error?: Error, job?) =>
            backoffMs(attemptsMade, error, job?.data as T | undefined),
        },
      },
    );
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const final =
        error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) {
        this.logger.error(
          `Job ${job.id} failed for good (attempt ${job.attemptsMade}): ${error.message}; kept as failed`,
        );
      } else {
        this.noteRetry(job.id, error);
      }
    });
    // While the connection is down its own outage log has said so, once; what BullMQ passes on
    // from each reconnect attempt (slot refreshes, DNS, timeouts) would repeat it.
    this.worker.on('error', (error) => {
      if (connection.status !== 'ready' || isRedisConnectionError(error)) return;
      this.logger.warn(`Worker: ${error.message}`);
    });
  }

  /** Listens to BullMQ's `completed` event (for logs of a job's result). */
  onCompleted(listener: (job: Job<T, R>, result: R) => void): void {
    this.worker.on('completed', listener);
  }

  /** Stops taking jobs and waits for the ones in hand (not on a Redis that is down). */
  close(): Promise<void> {
    return closeBullmqWorker(this.worker, this.connection);
  }

  private noteRetry(jobId: string | undefined, error: Error): void {
    this.retried += 1;
    const now = Date.now();
    if (now - this.lastRetryLog < RETRY_LOG_INTERVAL_MS) return;
    this.logger.warn(
      `${this.retried} job(s) failed and will be retried (last: ${jobId}: ${error.message})`,
    );
    this.retried = 0;
    this.lastRetryLog = now;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
