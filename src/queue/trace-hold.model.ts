import type { TraceExportJob } from './trace-export-job.model';

/**
 * Where finished traces wait while the export queue cannot take them (Redis down): a disk spool
 * that outlives the process, or a bounded memory buffer.
 */
export interface TraceHold {
  readonly kind: 'disk' | 'memory';
  /** Traces held now. */
  readonly held: number;
  /** Traces that did not fit (bound reached, disk error) since start. */
  readonly droppedTotal: number;
  /** Keeps the job; false when it was dropped. */
  hold(job: TraceExportJob): boolean;
  /**
   * Hands held jobs to `forward`, oldest first, in chunks, and resolves to how many it handed
   * over; stops at the deadline. Rejects with `forward`'s error, keeping what it had not let go.
   */
  release(forward: (jobs: TraceExportJob[]) => Promise<void>, deadline?: number): Promise<number>;
  /** Makes what is held durable (disk) and lets go of files; says what it keeps. */
  close(): Promise<void>;
}
