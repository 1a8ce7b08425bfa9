import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { exportConfig } from '../config/export.config';
import { MetricsService } from '../metrics/metrics.service';
import type { FinishedTrace } from '../tracing/trace.model';
import type { TraceSink } from '../tracing/trace-sink.model';
import { BullmqTraceExportWorker } from './bullmq-trace-export.worker';
import { isPermanentExportError } from './export-backoff';
import { TRACE_EXPORT_DRIVER, TRACE_EXPORT_HANDLER } from './queue.constants';
import { createRedisConnection } from './redis-connection.factory';
import type { TraceExportDriver, TraceExportHandler } from './trace-export.driver';
import { TraceExportSink } from './trace-export.sink';

/**
 * Owns the export path: the sink requests hand traces to, and (unless WORKER_ENABLED=false) the
 * BullMQ worker that exports them. Shuts down in order: buffered traces to the queue, the worker
 * finishes the jobs in hand, then the connections close.
 */
@Injectable()
export class TraceExportService
  implements TraceSink, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(TraceExportService.name);
  private readonly sink: TraceExportSink;
  private worker?: BullmqTraceExportWorker;

  constructor(
    @Inject(exportConfig.KEY) private readonly config: ConfigType<typeof exportConfig>,
    @Inject(TRACE_EXPORT_DRIVER) readonly driver: TraceExportDriver,
    @Inject(TRACE_EXPORT_HANDLER) private readonly handler: TraceExportHandler,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.sink = new TraceExportSink(driver, config.bufferSize);
  }

  get bufferedTraces(): number {
    return this.sink.buffered;
  }

  get droppedTraces(): number {
    return this.sink.droppedTotal;
  }

  submit(trace: FinishedTrace): void {
    this.sink.submit(trace);
  }

  onApplicationBootstrap(): void {
    if (this.driver.kind === 'in-process') {
      this.logger.warn('REDIS_URL is not set: traces are exported from an in-process queue');
      return;
    }
    if (this.config.workerEnabled) this.startWorker();
  }

  /** Starts consuming the BullMQ queue in this process (the worker entrypoint calls it). */
  startWorker(): void {
    if (this.worker || !this.config.redisUrl) return;
    this.worker = new BullmqTraceExportWorker(
      createRedisConnection(this.config.redisUrl, 'worker'),
      this.observeExports(this.handler),
      {
        concurrency: this.config.concurrency,
        retryBaseMs: this.config.retryBaseMs,
        retryMaxDelayMs: this.config.retryMaxDelayMs,
      },
    );
    this.logger.log(`Trace export worker started (concurrency ${this.config.concurrency})`);
  }

  private observeExports(handler: TraceExportHandler): TraceExportHandler {
    return async (trace) => {
      try {
        const result = await handler(trace);
        this.metrics?.recordExported(trace.requestTime + trace.executionDurationMs);
        return result;
      } catch (error) {
        this.metrics?.recordExportFailure(isPermanentExportError(error));
        throw error;
      }
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sink.close();
    await this.worker?.close();
    await this.driver.close();
  }
}
