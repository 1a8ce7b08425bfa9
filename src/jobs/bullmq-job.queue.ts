import { Queue } from 'bullmq';
import { redisConnectionProblem, type RedisClient } from './redis-connection.factory';
import { ReplicaWaiter } from './replica.waiter';

export interface BullmqJobQueueOptions {
  /** The job name every job of this queue carries. */
  jobName: string;
  /** BullMQ's key prefix (the topology's `queuePrefix`). */
  prefix: string;
  /** Replicas an added job must reach before `addBulk` resolves (the topology's `waitReplicas`). */
  waitReplicas?: number;
  waitTimeoutMs?: number;
  maxAttempts: number;
  /** The backoff strategy the queue's worker defines (`settings.backoffStrategy`). */
  backoffType: string;
  keepCompleted: number;
  keepFailed: number;
}

/**
 * The producing side of every BullMQ queue arkgate fills: jobs by id (an id already queued is
 * ignored, so a submission repeated is one job), bounded retention so Redis cannot grow without
 * bound, and a refusal instead of a wait while Redis is down, since callers hold what it refuses.
 */
export class BullmqJobQueue<T> {
  private readonly queue: Queue<T>;
  private readonly replicas: ReplicaWaiter;

  constructor(
    name: string,
    private readonly connection: RedisClient,
    private readonly options: BullmqJobQueueOptions,
  ) {
    this.queue = new Queue<T>(name, { connection, prefix: options.prefix });
    this.replicas = new ReplicaWaiter(
      connection,
      options.prefix,
      options.waitReplicas ?? 0,
      options.waitTimeoutMs ?? 500,
    );
    // Connection errors are expected while Redis is down; callers see them as refusals.
    this.queue.on('error', () => undefined);
  }

  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  /** Why the connection is down, as its last error said; undefined while it is ready. */
  get connectionProblem(): string | undefined {
    return redisConnectionProblem(this.connection);
  }

  add(id: string, data: T): Promise<void> {
    return this.addBulk([{ id, data }]);
  }

  /** All in one pipelined round trip; rejects when Redis is not connected. */
  async addBulk(jobs: { id: string; data: T }[]): Promise<void> {
    if (!this.ready) throw new Error(`Redis is not connected (${this.connection.status})`);
    const { jobName, maxAttempts, backoffType, keepCompleted, keepFailed } = this.options;
    await this.queue.addBulk(
      jobs.map(({ id, data }) => ({
        name: jobName,
        data,
        opts: {
          jobId: id,
          attempts: maxAttempts,
          backoff: { type: backoffType },
          removeOnComplete: { count: keepCompleted },
          removeOnFail: { count: keepFailed },
        },
      })) as Parameters<Queue<T>['addBulk']>[0],
    );
    await this.replicas.wait();
  }

  /** True while a job with this id is queued, running, or kept as done or failed. */
  async has(id: string): Promise<boolean> {
    if (!this.ready) throw new Error(`Redis is not connected (${this.connection.status})`);
    return (await this.queue.getJobState(id)) !== 'unknown';
  }

  /** Jobs waiting, delayed or running; 0 while Redis is down. */
  async backlog(): Promise<number> {
    if (!this.ready) return 0;
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
  }

  /** Closes the queue and the connection it was handed (BullMQ leaves a given connection open). */
  async close(): Promise<void> {
    await this.queue.close();
    if (this.ready) await this.connection.quit().catch(() => this.connection.disconnect());
    else this.connection.disconnect();
  }
}
