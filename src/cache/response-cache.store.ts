import type { RedisTopology } from '../config/redis-topology';
import { LRUCache } from 'lru-cache';
import {
  closeRedis,
  createRequestPathRedis,
  whenReady,
  type RedisClient,
} from '../jobs/redis-connection.factory';

/** Where cached answers live: RedisClient (shared by replicas) or this process. */
export interface ResponseCacheStore {
  readonly kind: 'redis' | 'memory';
  /** Resolves once the store can answer, or after `timeoutMs`; never rejects. */
  connected(timeoutMs: number): Promise<void>;
  /** Undefined on a miss, and when the store cannot answer (a cache never fails a request). */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Shared by every replica; fails fast (no offline queue, 300 ms) so a lookup never holds a call. */
export class RedisResponseCacheStore implements ResponseCacheStore {
  readonly kind = 'redis' as const;
  private readonly redis: RedisClient;

  constructor(topology: RedisTopology) {
    this.redis = createRequestPathRedis(topology, 'cache', 300);
  }

  connected(timeoutMs: number): Promise<void> {
    return whenReady(this.redis, timeoutMs);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, value, 'EX', ttlSeconds);
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}

/** Without Redis: the `maxEntries` answers of this process used last, each until its expiry. */
export class MemoryResponseCacheStore implements ResponseCacheStore {
  readonly kind = 'memory' as const;
  private readonly entries: LRUCache<string, { value: string; expiresAt: number }>;

  constructor(
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  async connected(): Promise<void> {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    // An expired entry is left for the LRU to drop.
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async close(): Promise<void> {}
}
