import type { RedisClient } from '../jobs/redis-connection.factory';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { PromptCacheEntry, PromptCacheStore } from './prompt-cache.store';
import type { PromptRef } from './prompt-ref.model';
import { PROMPT_CACHE_KEY_PREFIX } from './prompts.constants';

/** Entries outlive their TTL by far: a stale alias is what is served while MLflow is down. */
const ENTRY_EXPIRY_SECONDS = 7 * 24 * 3600;
const ALIASES_IN_USE = `${PROMPT_CACHE_KEY_PREFIX}aliases-in-use`;
const WARN_EVERY_MS = 60_000;

/** The prompt cache in Redis: JSON entries by key, and a sorted set of the aliases in use. */
export class RedisPromptStore implements PromptCacheStore, OnApplicationShutdown {
  private readonly logger = new Logger('PromptCacheStore');
  private lastWarning = 0;

  constructor(private readonly redis: RedisClient) {}

  async get(key: string): Promise<PromptCacheEntry | undefined> {
    try {
      const raw = await this.redis.get(PROMPT_CACHE_KEY_PREFIX + key);
      return raw ? (JSON.parse(raw) as PromptCacheEntry) : undefined;
    } catch (error) {
      this.warn(error);
      return undefined;
    }
  }

  async set(key: string, entry: PromptCacheEntry): Promise<void> {
    try {
      await this.redis.set(
        PROMPT_CACHE_KEY_PREFIX + key,
        JSON.stringify(entry),
        'EX',
        ENTRY_EXPIRY_SECONDS,
      );
    } catch (error) {
      this.warn(error);
    }
  }

  async markAliasUsed(ref: PromptRef, at: number): Promise<void> {
    try {
      await this.redis.zadd(ALIASES_IN_USE, String(at), JSON.stringify([ref.name, ref.alias]));
    } catch (error) {
      this.warn(error);
    }
  }

  async aliasesUsedSince(since: number): Promise<PromptRef[]> {
    await this.redis.zremrangebyscore(ALIASES_IN_USE, '-inf', `(${since}`);
    const members = await this.redis.zrange(ALIASES_IN_USE, '0', '-1');
    return members.map((member) => {
      const [name, alias] = JSON.parse(member) as [string, string];
      return { name, alias };
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Redis prompt cache unavailable, using the registry: ${String(error)}`);
  }
}
