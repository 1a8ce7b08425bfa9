import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { describeRedisTopology, type RedisTopology } from '../config/redis-topology';

/** A connection to whatever topology is configured: one node (or Sentinel's master), or a Cluster. */
export type RedisClient = Redis | Cluster;

export type RedisRole = 'producer' | 'worker' | (string & {});

interface ConnectionBehaviour {
  name: string;
  offlineQueue: boolean;
  maxRetriesPerRequest: number | null;
  commandTimeout?: number;
  /** A lookup on the request path: on a Cluster, give up on a moving slot after a short wait. */
  failFast?: boolean;
}

const retryStrategy = (times: number) => Math.min(times * 200, 2_000);

/**
 * After a failover the old primary may still answer, read-only, until Sentinel reconfigures it:
 * such a reply makes the client reconnect (to the new primary); a connection with an offline
 * queue sends the command again there, a fail-fast one fails it.
 */
const reconnectOnReadOnly = (error: Error) => (error.message.startsWith('READONLY') ? 2 : false);

function connect(topology: RedisTopology, behaviour: ConnectionBehaviour): RedisClient {
  const { auth } = topology;
  const node: RedisOptions = {
    connectionName: `arkgate-${behaviour.name}`,
    username: auth.username,
    password: auth.password,
    tls: auth.tls ? {} : undefined,
    maxRetriesPerRequest: behaviour.maxRetriesPerRequest,
    commandTimeout: behaviour.commandTimeout,
    reconnectOnError: reconnectOnReadOnly,
  };
  switch (topology.kind) {
    case 'single':
      return new Redis(topology.url, {
        ...node,
        enableOfflineQueue: behaviour.offlineQueue,
        retryStrategy,
      });
    case 'sentinel':
      return new Redis({
        ...node,
        sentinels: topology.sentinels,
        name: topology.masterName,
        sentinelPassword: topology.sentinelPassword,
        sentinelTLS: topology.sentinelTls ? {} : undefined,
        enableTLSForSentinelMode: auth.tls,
        db: topology.db,
        enableOfflineQueue: behaviour.offlineQueue,
        retryStrategy,
        sentinelRetryStrategy: retryStrategy,
      });
    case 'cluster':
      return new Cluster(topology.nodes, {
        redisOptions: node,
        enableOfflineQueue: behaviour.offlineQueue,
        clusterRetryStrategy: retryStrategy,
        // A failover moves slots: wait for the new owner instead of failing the command at once
        // (a request-path lookup briefly: two tries 100 ms apart, then it counts as unknown).
        retryDelayOnFailover: behaviour.failFast ? 100 : 200,
        retryDelayOnClusterDown: behaviour.failFast ? 100 : 200,
        ...(behaviour.failFast ? { maxRedirections: 2 } : {}),
      });
  }
}

const lastErrors = new WeakMap<RedisClient, string>();

/** Why `client` is not connected, as its last error said (undefined while it is ready). */
export function redisConnectionProblem(client: RedisClient): string | undefined {
  if (client.status === 'ready') return undefined;
  return lastErrors.get(client) ?? `connection ${client.status}`;
}

/**
 * One warning per outage for the whole process (every queue connection sees the same outage),
 * and one line when Redis is back.
 */
class RedisOutageLog {
  private readonly logger = new Logger('Redis');
  private readonly down = new Set<string>();

  failed(name: string, target: string, error: Error): void {
    const first = this.down.size === 0;
    this.down.add(name);
    if (first) {
      this.logger.warn(
        `Redis (${target}) unreachable: ${error.message}; retrying in the background ` +
          '(said once, until it is back)',
      );
    }
  }

  recovered(name: string): void {
    if (!this.down.delete(name) || this.down.size > 0) return;
    this.logger.log('Redis connection is back');
  }
}

const outageLog = new RedisOutageLog();
let connectionSeq = 0;

/**
 * A Redis connection for BullMQ. The producer fails fast while Redis is down (the request path
 * must never wait on it; traces wait in the spool instead); the worker's blocking connection waits
 * and reconnects for as long as it takes. An outage is logged once, not once per reconnect.
 */
export function createRedisConnection(topology: RedisTopology, role: RedisRole): RedisClient {
  const waits = role !== 'producer';
  const redis = connect(topology, {
    name: role,
    offlineQueue: waits,
    maxRetriesPerRequest: waits ? null : 1,
    // A half-open connection must not hold a hand-over (and with it a trace) for ever.
    commandTimeout: waits ? undefined : 5_000,
  });
  const id = `${role}#${++connectionSeq}`;
  const target = describeRedisTopology(topology);
  redis.on('error', (error: Error) => {
    lastErrors.set(redis, error.message);
    outageLog.failed(id, target, error);
  });
  redis.on('ready', () => {
    lastErrors.delete(redis);
    outageLog.recovered(id);
  });
  redis.on('end', () => outageLog.recovered(id));
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
  connection: RedisClient,
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
export function createRequestPathRedis(
  topology: RedisTopology,
  name: string,
  commandTimeoutMs: number,
): RedisClient {
  const redis = connect(topology, {
    name,
    offlineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    failFast: true,
  });
  // Errors surface on each command, where the caller counts and logs them.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once `redis` is connected, or after `timeoutMs`; never rejects. */
export async function whenReady(redis: RedisClient, timeoutMs: number): Promise<void> {
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
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => undefined);
  redis.disconnect();
}
