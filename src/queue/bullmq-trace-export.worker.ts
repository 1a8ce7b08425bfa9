import { Logger } from '@nestjs/common';
import { closeBullmqWorker, isRedisConnectionError } from './redis-connection.factory';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { exportBackoffMs, isPermanentExportError } from './export-backoff';
import { TRACE_EXPORT_QUEUE } from './queue.constants';
import type { TraceExportHandler } from './trace-export.driver';
import { toTraceExportJob } from './trace-export-job.model';

export interface ExportWorkerOptions {
  /** Jobs taken at once: enough to fill every batch in flight. */
  concurrency: number;
  /** Destination of jobs queued before jobs carried one. */
  fallbackExperiment: string;
  retryBaseMs: number;
  retryMaxDelayMs: number;
}

/**
 * Consumes the trace export queue: each job's trace goes to the handler (which batches them), and
 * a failed one is retried with backoff for hours, or kept as failed when retrying cannot help.
 */
export class BullmqTraceExportWorker {
  private readonly logger = new Logger('TraceExportWorker');
  private readonly worker: Worker<unknown>;

  constructor(
    private readonly connection: Redis,
    handler: TraceExportHandler,
    options: ExportWorkerOptions,
  ) {
    this.worker = new Worker<unknown>(
      TRACE_EXPORT_QUEUE,
      async (job) => {
        try {
          await handler(toTraceExportJob(job.data, options.fallbackExperiment));
        } catch (error) {
          if (isPermanentExportError(error)) throw new UnrecoverableError(String(error));
          throw error;
        }
      },
      {
        connection,
        concurrency: options.concurrency,
        settings: {
          backoffStrategy: (attemptsMade: number) =>
            exportBackoffMs(attemptsMade, options.retryBaseMs, options.retryMaxDelayMs),
        },
      },
    );
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const final =
        error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const message = `Export of ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`;
      if (final) this.logger.error(`${message}; giving up, the job is kept as failed`);
      else this.logger.warn(`${message}; retrying`);
    });
    this.worker.on('error', (error) => {
      if (!isRedisConnectionError(error)) this.logger.warn(`Worker: ${error.message}`);
    });
  }

  /** Stops taking jobs and waits for the ones in hand. */
  async close(): Promise<void> {
    await closeBullmqWorker(this.worker, this.connection);
  }
}
