import { Logger } from '@nestjs/common';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceHold } from './trace-hold.model';

const RELEASE_CHUNK = 500;

/** A bounded in-memory hold: what the process has when the disk spool is off or unusable. */
export class MemoryTraceBuffer implements TraceHold {
  readonly kind = 'memory' as const;
  private readonly logger = new Logger('TraceBuffer');
  private readonly jobs: TraceExportJob[] = [];
  droppedTotal = 0;

  constructor(private readonly capacity: number) {}

  get held(): number {
    return this.jobs.length;
  }

  hold(job: TraceExportJob): boolean {
    if (this.jobs.length >= this.capacity) {
      this.droppedTotal += 1;
      if (this.droppedTotal === 1 || this.droppedTotal % 100 === 0) {
        this.logger.error(
          `Trace buffer full (${this.capacity}); ${this.droppedTotal} trace(s) dropped so far`,
        );
      }
      return false;
    }
    this.jobs.push(job);
    return true;
  }

  async release(
    forward: (jobs: TraceExportJob[]) => Promise<void>,
    deadline = Infinity,
  ): Promise<number> {
    let released = 0;
    while (this.jobs.length > 0 && Date.now() < deadline) {
      const chunk = this.jobs.slice(0, RELEASE_CHUNK);
      await forward(chunk);
      this.jobs.splice(0, chunk.length);
      released += chunk.length;
    }
    return released;
  }

  close(): Promise<void> {
    if (this.jobs.length > 0) {
      this.logger.error(`${this.jobs.length} buffered trace(s) lost at shutdown`);
    }
    return Promise.resolve();
  }
}
