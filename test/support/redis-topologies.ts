import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, PrivateRedis } from './child-services';
import { eventually as poll } from './traced-arkgate';

/** {@link poll} with what did not happen in the error. */
export function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
) {
  return poll(check, timeoutMs).catch((error: Error) => {
    throw new Error(`${what}: ${error.message}`);
  });
}

/** One short-lived connection to a node the test started (never to any other Redis). */
export async function ask<T>(port: number, command: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

/** The common shape of the topologies below, for specs that run the same flow on each. */
export interface TestRedisTopology {
  /** The arkgate environment that points at it. */
  env: Record<string, string>;
  /** SIGKILLs the primary that holds `key`'s slot; resolves once a replica has taken over. */
  failOverPrimary(key: string): Promise<{ killed: number; promoted: number }>;
  stop(): Promise<void>;
}

export const SENTINEL_MASTER_NAME = 'arkgate-test';

/**
 * A primary, a replica and three sentinels (quorum 2) on free loopback ports, all started here:
 * failover after three seconds of silence.
 */
export class TestSentinelGroup implements TestRedisTopology {
  private constructor(
    private readonly dir: string,
    private primary: PrivateRedis,
    private replica: PrivateRedis,
    private readonly sentinels: PrivateRedis[],
  ) {}

  static async start(): Promise<TestSentinelGroup> {
    const dir = mkdtempSync(join(tmpdir(), 'arkgate-sentinel-'));
    const started: PrivateRedis[] = [];
    try {
      return await TestSentinelGroup.startIn(dir, started);
    } catch (error) {
      for (const node of started) await node.stop();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private static async startIn(dir: string, started: PrivateRedis[]): Promise<TestSentinelGroup> {
    const primary = await PrivateRedis.start({ dir });
    started.push(primary);
    const replica = await PrivateRedis.start({
      dir,
      args: ['--replicaof', '127.0.0.1', String(primary.port)],
    });
    started.push(replica);
    await eventually('the replica did not sync', async () =>
      /master_link_status:up/.test(await ask(replica.port, (r) => r.info('replication')))
        ? true
        : undefined,
    );
    const sentinels: PrivateRedis[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      const configFile = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        configFile,
        [
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${primary.port} 2`,
          // Long enough that a busy machine's pauses are not taken for a dead primary.
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 3000`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
          '',
        ].join('\n'),
      );
      sentinels.push(await PrivateRedis.start({ dir, port, configFile, args: ['--sentinel'] }));
      started.push(sentinels[sentinels.length - 1]);
    }
    const group = new TestSentinelGroup(dir, primary, replica, sentinels);
    // Every sentinel knows the replica and its peers before a failover is asked of them.
    await eventually('the sentinels did not find each other', async () => {
      const views = await Promise.all(
        sentinels.map((s) =>
          ask(
            s.port,
            (r) => r.call('SENTINEL', 'MASTER', SENTINEL_MASTER_NAME) as Promise<string[]>,
          ),
        ),
      );
      const field = (view: string[], name: string) => Number(view[view.indexOf(name) + 1]);
      return views.every(
        (v) => field(v, 'num-slaves') === 1 && field(v, 'num-other-sentinels') === 2,
      )
        ? true
        : undefined;
    });
    return group;
  }

  get env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      REDIS_SENTINEL_MASTER_NAME: SENTINEL_MASTER_NAME,
    };
  }

  async failOverPrimary(): Promise<{ killed: number; promoted: number }> {
    const killed = this.primary.port;
    await this.primary.stop();
    const promoted = await eventually(
      'no sentinel promoted the replica',
      async () => {
        const [, port] = (await ask(this.sentinels[0].port, (r) =>
          r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME),
        )) as [string, string];
        return Number(port) === this.replica.port ? Number(port) : undefined;
      },
      60_000,
    );
    [this.primary, this.replica] = [this.replica, this.primary];
    return { killed, promoted };
  }

  async stop(): Promise<void> {
    for (const node of [...this.sentinels, this.primary, this.replica]) await node.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
