import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Queue } from 'bullmq';
import { promptsConfig } from '../config/prompts.config';
import { BullmqJobWorker } from '../jobs/bullmq-job.worker';
import { createRedisConnection, type RedisClient } from '../jobs/redis-connection.factory';
import { PromptCache, type RefreshOutcome } from './prompt.cache';
import type { PromptCacheStore } from './prompt-cache.store';
import {
  PROMPT_CACHE_STORE,
  PROMPT_REFRESH_JOB,
  PROMPT_REFRESH_QUEUE,
  PROMPT_REFRESH_SCHEDULER,
} from './prompts.constants';

/** Aliases no request used for this long are no longer refreshed. */
const MIN_RETENTION_MS = 10 * 60_000;
const MIN_INTERVAL_MS = 500;

/**
 * Keeps the aliases requests use fresh before they expire, so the request path rarely waits on
 * MLflow: a BullMQ repeatable job (one schedule shared by every instance, run by any worker)
 * with Redis, a timer in this process without it.
 */
@Injectable()
export class PromptCacheRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PromptCacheRefresher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private connection?: RedisClient;
  private queue?: Queue;
  private worker?: BullmqJobWorker<unknown, Record<RefreshOutcome, number>>;

  constructor(
    @Inject(promptsConfig.KEY) private readonly config: ConfigType<typeof promptsConfig>,
    private readonly cache: PromptCache,
    @Inject(PROMPT_CACHE_STORE) private readonly store: PromptCacheStore | null,
  ) {}

  get intervalMs(): number {
    return Math.max(MIN_INTERVAL_MS, Math.round(this.config.aliasTtlMs / 3));
  }

  onApplicationBootstrap(): void {
    if (!this.config.redis) this.startTimer();
    else if (this.config.workerEnabled) this.startWorker();
  }

  /** Schedules the repeatable job and consumes it in this process (the worker entrypoint calls it). */
  startWorker(): void {
    if (this.worker || !this.config.redis) return;
    this.connection = createRedisConnection(this.config.redis, 'worker');
    this.queue = new Queue(PROMPT_REFRESH_QUEUE, {
      connection: this.connection,
      prefix: this.config.redis.queuePrefix,
    });
    this.queue.on('error', () => undefined);
    this.queue
      .upsertJobScheduler(
        PROMPT_REFRESH_SCHEDULER,
        { every: this.intervalMs },
        {
          name: PROMPT_REFRESH_JOB,
          opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
        },
      )
      .catch((error: unknown) =>
        this.logger.warn(`Could not schedule the prompt alias refresh: ${String(error)}`),
      );
    this.worker = new BullmqJobWorker(
      PROMPT_REFRESH_QUEUE,
      this.connection,
      () => this.refreshAliasesInUse(),
      { name: 'PromptRefresh', prefix: this.config.redis.queuePrefix, concurrency: 1 },
    );
    this.logger.log(`Prompt alias refresh runs every ${this.intervalMs} ms`);
  }

  /** Refreshes every alias used lately whose entry is aging; never throws for one alias. */
  async refreshAliasesInUse(): Promise<Record<RefreshOutcome, number>> {
    const since = Date.now() - Math.max(MIN_RETENTION_MS, 10 * this.config.aliasTtlMs);
    const refs = this.store
      ? await this.store.aliasesUsedSince(since)
      : this.cache.aliasesUsedSince(since);
    const outcomes: Record<RefreshOutcome, number> = { fresh: 0, refreshed: 0, failed: 0 };
    for (const ref of refs) outcomes[await this.cache.refreshIfAging(ref)] += 1;
    return outcomes;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }

  private startTimer(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.refreshAliasesInUse()
        .catch((error: unknown) => this.logger.warn(`Prompt refresh failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }
}
