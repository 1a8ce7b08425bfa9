import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { exportConfig } from '../config/export.config';
import { MlflowTraceExporter } from '../mlflow/mlflow-trace.exporter';
import { isPermanentFailure } from '../jobs/job-retry.policy';
import { TRACE_EXPORTER } from './queue.constants';
import { TraceExportBatcher } from './trace-export.batcher';
import type { TraceExportJob } from './trace-export-job.model';

/** Told of each job's outcome wherever the export runs (BullMQ worker or in-process queue). */
export interface TraceExportObserver {
  exported(job: TraceExportJob): void;
  failed(job: TraceExportJob, error: unknown, permanent: boolean): void;
}

/**
 * The export step every queue kind runs: jobs handed in one by one are batched per experiment
 * into OTLP requests, and each job settles with its own trace's outcome.
 */
@Injectable()
export class TraceExportPipeline {
  private readonly batcher: TraceExportBatcher;
  private readonly observers: TraceExportObserver[] = [];

  constructor(
    @Inject(exportConfig.KEY) private readonly config: ConfigType<typeof exportConfig>,
    @Inject(TRACE_EXPORTER) exporter: MlflowTraceExporter,
  ) {
    this.batcher = new TraceExportBatcher(
      (experimentName, traces) => exporter.exportBatch(experimentName, traces),
      {
        maxTraces: config.batchSize,
        maxWaitMs: config.batchWaitMs,
        maxInFlight: config.concurrency,
      },
    );
  }

  /** Jobs a queue should hand over at once so that every batch in flight can fill. */
  get jobConcurrency(): number {
    return this.config.batchSize * this.config.concurrency;
  }

  observe(observer: TraceExportObserver): void {
    this.observers.push(observer);
  }

  /** Exports the job's trace; rejects with its failure (`retryable: false` when final). */
  readonly handle = async (job: TraceExportJob): Promise<unknown> => {
    try {
      const result = await this.batcher.add(job);
      for (const observer of this.observers) observer.exported(job);
      return result;
    } catch (error) {
      const permanent = isPermanentFailure(error);
      for (const observer of this.observers) observer.failed(job, error, permanent);
      throw error;
    }
  };

  /** Sends what waits for a batch to fill now (shutdown). */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
