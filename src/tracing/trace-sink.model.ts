import { FinishedTrace } from './trace.model';

/** Where finished traces go (the export queue). Must not throw and must not block. */
export interface TraceSink {
  submit(trace: FinishedTrace): void;
}
