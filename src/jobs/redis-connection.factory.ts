import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | (string & {});

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * A Redis connection for BullMQ. The producer fails fast while Redis is down (the request path
 * must never wait on it; traces wait in memory instead); the worker's blocking connection waits
 * and reconnects for as long as it takes. Connection errors are logged once per interval, not
 * once per reconnect attempt.
 */
export function createRedisConnection(url: string, role: RedisRole): Redis {
  const waits = role !== 'producer';
  const redis = new Redis(url, {
    connectionName: `arkgate-${role}`,
    enableOfflineQueue: waits,
    maxRetriesPerRequest: waits ? null : 1,
    // A half-open connection must not hold a hand-over (and with it a trace) for ever.
    commandTimeout: waits ? undefined : 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  const logger = new Logger(`Redis(${role})`);
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn(`Redis unreachable (${error.message}); retrying in the background`);
  });
  redis.on('ready', () => {
    if (lastLogged > 0) logger.log('Redis connection is back');
    lastLogged = 0;
  });
  return redis;
}

/** Errors that only say Redis cannot be reached: the connection logs those itself. */
export function isRedisConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE'].includes(
      code ?? '',
    ) || /Connection is closed|connect ECONNREFUSED/.test(error.message)
  );
}

/**
 * Closes a BullMQ worker and its connection. With Redis down it does not wait: the jobs in hand
 * cannot be completed anyway and BullMQ's stalled-job check hands them out again, and a graceful
 * close would wait on a reconnect for ever (and a deploy with it).
 */
export async function closeBullmqWorker(
  worker: Worker,
  connection: Redis,
  graceMs = 10_000,
): Promise<void> {
  if (connection.status !== 'ready') {
    await worker.close(true);
  } else {
    // Redis may still go away during the close: stop waiting for it after `graceMs`.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>(
      (resolve) => (timer = setTimeout(() => resolve(true), graceMs)),
    );
    const closing = worker.close();
    const gaveUp = await Promise.race([closing.then(() => false), timedOut]);
    clearTimeout(timer);
    if (gaveUp) await worker.disconnect().catch(() => undefined);
  }
  connection.disconnect();
}

/**
 * A connection for a lookup on the request path (rate limits, budgets, the response cache): no
 * offline queue, no retry, a short timeout, so a Redis that is down costs a request at most
 * `commandTimeoutMs`; callers treat a failed command as "unknown" and go on.
 */
export function createRequestPathRedis(url: string, name: string, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, {
    connectionName: `arkgate-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Errors surface on each command, where the caller counts and logs them.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once `redis` is connected, or after `timeoutMs`; never rejects. */
export async function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

/** Quits `redis` when it is connected (pending replies answered), then drops the connection. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => undefined);
  redis.disconnect();
}
