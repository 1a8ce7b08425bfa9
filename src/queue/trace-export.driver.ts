import type { FinishedTrace } from '../tracing/trace.model';

/**
 * Where finished traces wait for export. `enqueue` rejects when the queue cannot take the trace
 * right now (Redis down); the caller keeps it and tries again.
 */
export interface TraceExportDriver {
  readonly kind: 'bullmq' | 'in-process';
  enqueue(trace: FinishedTrace): Promise<void>;
  /** Jobs waiting, delayed or running (for health and metrics). */
  backlog(): Promise<number>;
  close(): Promise<void>;
}

/** Exports one trace; throws an error with `retryable: false` when retrying cannot help. */
export type TraceExportHandler = (trace: FinishedTrace) => Promise<unknown>;
