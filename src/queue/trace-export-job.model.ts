import type { FinishedTrace } from '../tracing/trace.model';

/**
 * A queued trace and where it goes, fixed when the trace finished: a restart with another
 * MLFLOW_EXPERIMENT_NAME, or a second gateway writing elsewhere, never misroutes it.
 */
export interface TraceExportJob {
  experimentName: string;
  trace: FinishedTrace;
}

/** Job data as queued; jobs from before the destination was carried are the bare trace. */
export function toTraceExportJob(data: unknown, fallbackExperiment: string): TraceExportJob {
  const job = data as Partial<TraceExportJob> & Partial<FinishedTrace>;
  if (job.trace && typeof job.experimentName === 'string') return job as TraceExportJob;
  return { experimentName: fallbackExperiment, trace: data as FinishedTrace };
}
