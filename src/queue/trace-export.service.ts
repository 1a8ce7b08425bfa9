import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { exportConfig } from '../config/export.config';
import { mlflowConfig } from '../config/mlflow.config';
import type { FinishedTrace } from '../tracing/trace.model';
import type { TraceSink } from '../tracing/trace-sink.model';
import { BullmqJobWorker } from '../jobs/bullmq-job.worker';
import { jitteredBackoffMs } from '../jobs/job-retry.policy';
import { DiskTraceSpool } from './disk-trace.spool';
import { MemoryTraceBuffer } from './memory-trace.buffer';
import { TRACE_EXPORT_DRIVER, TRACE_EXPORT_QUEUE } from './queue.constants';
import { createRedisConnection } from '../jobs/redis-connection.factory';
import type { TraceExportDriver } from './trace-export.driver';
import { TraceExportPipeline } from './trace-export.pipeline';
import { TraceExportSink } from './trace-export.sink';
import type { TraceHold } from './trace-hold.model';
import { toTraceExportJob } from './trace-export-job.model';

/**
 * Owns the export path: the sink requests hand traces to (each stamped with the experiment it
 * goes to), and (unless WORKER_ENABLED=false) the BullMQ worker that exports them. Shuts down in
 * order: waiting traces to the queue, the worker finishes the jobs in hand, then the connections
 * close.
 */
@Injectable()
export class TraceExportService
  implements TraceSink, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(TraceExportService.name);
  private readonly sink: TraceExportSink;
  private worker?: BullmqJobWorker<unknown>;

  constructor(
    @Inject(exportConfig.KEY) private readonly config: ConfigType<typeof exportConfig>,
    @Inject(mlflowConfig.KEY) private readonly mlflow: ConfigType<typeof mlflowConfig>,
    @Inject(TRACE_EXPORT_DRIVER) readonly driver: TraceExportDriver,
    private readonly pipeline: TraceExportPipeline,
  ) {
    this.sink = new TraceExportSink(driver, () => this.openHold());
  }

  get bufferedTraces(): number {
    return this.sink.buffered;
  }

  get droppedTraces(): number {
    return this.sink.droppedTotal;
  }

  /**
   * Whether the export queue holds the trace (waiting, being exported, or kept after); undefined
   * when it cannot tell (Redis down).
   */
  async queued(traceId: string): Promise<boolean | undefined> {
    try {
      return await this.driver.has(traceId);
    } catch {
      return undefined;
    }
  }

  submit(trace: FinishedTrace): void {
    this.sink.submit({ experimentName: this.mlflow.experimentName, trace });
  }

  onApplicationBootstrap(): void {
    if (this.usesSpool && DiskTraceSpool.hasLeftovers(this.config.spoolDir)) this.sink.resume();
    if (this.driver.kind === 'in-process') {
      this.logger.warn(
        'No Redis configured (REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES): traces are exported from an in-process queue',
      );
      return;
    }
    if (this.config.workerEnabled) this.startWorker();
  }

  /** Starts consuming the BullMQ queue in this process (the worker entrypoint calls it). */
  startWorker(): void {
    if (this.worker || !this.config.redis) return;
    const { retryBaseMs, retryMaxDelayMs } = this.config;
    this.worker = new BullmqJobWorker(
      TRACE_EXPORT_QUEUE,
      createRedisConnection(this.config.redis, 'worker'),
      // Jobs queued before they carried a destination go to the configured experiment.
      (data) => this.pipeline.handle(toTraceExportJob(data, this.mlflow.experimentName)),
      {
        name: 'TraceExport',
        prefix: this.config.redis.queuePrefix,
        concurrency: this.pipeline.jobConcurrency,
        backoffMs: (attemptsMade) => jitteredBackoffMs(attemptsMade, retryBaseMs, retryMaxDelayMs),
      },
    );
    this.logger.log(
      `Trace export worker started (${this.config.concurrency} request(s) of up to ` +
        `${this.config.batchSize} traces in flight)`,
    );
  }

  /** The disk spool with Redis (traces then survive a restart); memory without it, or as fallback. */
  private get usesSpool(): boolean {
    return this.driver.kind === 'bullmq' && this.config.spoolMaxBytes > 0;
  }

  private openHold(): TraceHold {
    if (this.usesSpool) {
      try {
        return DiskTraceSpool.open(this.config.spoolDir, this.config.spoolMaxBytes);
      } catch (error) {
        this.logger.error(
          `Disk spool unusable (${error instanceof Error ? error.message : String(error)}); ` +
            'traces wait in memory while Redis is down',
        );
      }
    }
    return new MemoryTraceBuffer(this.config.bufferSize);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sink.close();
    const closing = this.worker?.close();
    await this.pipeline.drain();
    await closing;
    await this.driver.close();
  }
}
