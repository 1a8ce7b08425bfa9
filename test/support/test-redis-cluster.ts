import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort, PrivateRedis } from './child-services';
import { ask, eventually, type TestRedisTopology } from './redis-topologies';

const run = promisify(execFile);

/** Cluster nodes also listen on port + 10000 (the cluster bus), so both must be free. */
async function clusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const bus = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port + 10_000, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (bus) return port;
  }
  throw new Error('found no port whose cluster bus port (+10000) is free as well');
}

/**
 * A Redis Cluster of three primaries with a replica each, on free loopback ports, all started
 * here: a primary that stays silent for two seconds is replaced by its replica.
 */
export class TestRedisCluster implements TestRedisTopology {
  private constructor(
    private readonly dir: string,
    private readonly nodes: PrivateRedis[],
  ) {}

  static async start(): Promise<TestRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'arkgate-cluster-'));
    const nodes: PrivateRedis[] = [];
    const cluster = new TestRedisCluster(dir, nodes);
    try {
      for (let i = 0; i < 6; i += 1) {
        const port = await clusterPort();
        nodes.push(
          await PrivateRedis.start({
            dir,
            port,
            args: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              `nodes-${port}.conf`,
              '--cluster-node-timeout',
              '2000',
            ],
          }),
        );
      }
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await eventually('the cluster did not come up', async () => {
        const states = await Promise.all(
          nodes.map((n) => ask(n.port, (r) => r.call('CLUSTER', 'INFO') as Promise<string>)),
        );
        return states.every((s) => s.includes('cluster_state:ok')) ? true : undefined;
      });
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  get env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',') };
  }

  /** A client of the test's own for this cluster. */
  client(): Cluster {
    const client = new Cluster(this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
    client.on('error', () => undefined);
    return client;
  }

  async failOverPrimary(key: string): Promise<{ killed: number; promoted: number }> {
    const live = this.nodes.filter((n) => n.state.pid !== undefined);
    const owner = async () => {
      const slot = await ask(
        live[0].port,
        (r) => r.call('CLUSTER', 'KEYSLOT', key) as Promise<number>,
      );
      const ranges = (await ask(live[0].port, (r) => r.call('CLUSTER', 'SLOTS'))) as [
        number,
        number,
        [string, number],
      ][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      return range?.[2][1];
    };
    const killed = await eventually('no owner for the slot', owner);
    const node = this.nodes.find((n) => n.port === killed)!;
    await node.stop();
    const others = this.nodes.filter((n) => n.state.pid !== undefined);
    const promoted = await eventually(
      'no replica took over the slot',
      async () => {
        const port = await ask(others[0].port, async (r) => {
          const info = (await r.call('CLUSTER', 'INFO')) as string;
          if (!info.includes('cluster_state:ok')) return undefined;
          const slot = (await r.call('CLUSTER', 'KEYSLOT', key)) as number;
          const ranges = (await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
          return ranges.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
        });
        return port !== undefined && port !== killed ? port : undefined;
      },
      60_000,
    );
    return { killed, promoted };
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
