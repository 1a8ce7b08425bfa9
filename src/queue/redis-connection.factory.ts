import { Redis } from 'ioredis';

export type RedisRole = 'producer' | 'worker';

/**
 * A Redis connection for BullMQ. The producer fails fast while Redis is down (the request path
 * must never wait on it; traces wait in memory instead); the worker's blocking connection waits
 * and reconnects for as long as it takes.
 */
export function createRedisConnection(url: string, role: RedisRole): Redis {
  return new Redis(url, {
    connectionName: `arkgate-${role}`,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
}
