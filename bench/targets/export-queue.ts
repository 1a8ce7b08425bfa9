import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TRACE_EXPORT_QUEUE } from '../../src/queue/queue.constants';
import type { TraceExportJob } from '../../src/queue/trace-export-job.model';
import type { FinishedTrace } from '../../src/tracing/trace.model';

/** The redis URL of DB `db` on the server of `redisUrl`. */
export function redisDbUrl(redisUrl: string, db: number): string {
  const url = new URL(redisUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/** arkgate's BullMQ export queue, seen from outside: counts, pause/resume, flush. */
export class ExportQueue {
  private readonly connection: Redis;
  private readonly queue: Queue<TraceExportJob>;

  constructor(readonly redisUrl: string) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue<TraceExportJob>(TRACE_EXPORT_QUEUE, { connection: this.connection });
  }

  /** Empties the whole DB: the queue, completed jobs, rate limits, prompt cache. */
  async flush(): Promise<void> {
    await this.connection.flushdb();
  }

  /** Deletes every job of the queue (and the paused flag), then resumes it. */
  async clear(): Promise<void> {
    await this.queue.obliterate({ force: true });
    await this.queue.resume();
  }

  /**
   * Workers stop taking new jobs; resolves once the ones in hand are done (up to `settleMs`), so
   * no export runs into the next measurement.
   */
  async pause(settleMs = 15_000): Promise<void> {
    await this.queue.pause();
    const deadline = Date.now() + settleMs;
    while ((await this.queue.getActiveCount()) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  resume(): Promise<void> {
    return this.queue.resume();
  }

  /** Jobs not yet exported: waiting (paused included), delayed, active, prioritized. */
  async backlog(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  }

  /** Up to `count` queued traces, as the worker would receive them. */
  async sampleTraces(count: number): Promise<FinishedTrace[]> {
    const jobs = await this.queue.getJobs(['waiting'], 0, count - 1);
    return jobs.map((job) => job.data.trace);
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
