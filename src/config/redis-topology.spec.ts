import { validateEnv } from './env.validation';
import { describeRedisTopology, parseRedisNodes, redisTopologyOf } from './redis-topology';

describe('Redis topology', () => {
  const topology = (env: Record<string, string>) => redisTopologyOf(validateEnv(env));

  it('is none without Redis settings, and a single node with REDIS_URL', () => {
    expect(topology({})).toBeUndefined();
    expect(topology({ REDIS_URL: 'redis://:secret@cache:6380/2' })).toEqual({
      kind: 'single',
      url: 'redis://:secret@cache:6380/2',
      auth: { tls: false },
      queuePrefix: 'bull',
      waitReplicas: 0,
      waitTimeoutMs: 500,
    });
  });

  it('reads Sentinel settings, with the default sentinel port and master name', () => {
    const sut = topology({
      REDIS_SENTINELS: 's1, s2:26380,[::1]:26381',
      REDIS_SENTINEL_PASSWORD: 'sp',
      REDIS_PASSWORD: 'dp',
      REDIS_TLS: 'true',
      REDIS_DB: '3',
    });
    expect(sut).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      masterName: 'mymaster',
      sentinelPassword: 'sp',
      sentinelTls: false,
      db: 3,
      auth: { password: 'dp', tls: true },
      queuePrefix: 'bull',
      waitReplicas: 1,
      waitTimeoutMs: 500,
    });
    expect(describeRedisTopology(sut!)).toBe(
      'sentinel master "mymaster" via s1:26379,s2:26380,[::1]:26381',
    );
  });

  it("puts a Cluster's queues under a braced prefix by default", () => {
    const sut = topology({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' });
    expect(sut).toMatchObject({ kind: 'cluster', queuePrefix: '{arkgate}', waitReplicas: 1 });
    expect(describeRedisTopology(sut!)).toBe('cluster via n1:7000,n2:7001');
    expect(topology({ REDIS_CLUSTER_NODES: 'n1', QUEUE_PREFIX: 'q{eu}' })?.queuePrefix).toBe(
      'q{eu}',
    );
  });

  it('never shows a password when it describes a URL', () => {
    expect(describeRedisTopology(topology({ REDIS_URL: 'rediss://u:pw@cache:6380/1' })!)).toBe(
      'rediss://cache:6380/1',
    );
  });

  it.each([
    [
      { REDIS_URL: 'redis://a:6379', REDIS_SENTINELS: 's1' },
      /REDIS_URL="redis:\/\/a:6379", REDIS_SENTINELS="s1": .*alternatives/,
    ],
    [{ REDIS_SENTINELS: 's1:port' }, /REDIS_SENTINELS=.*not host:port: "s1:port"/],
    [{ REDIS_CLUSTER_NODES: ' , ' }, /REDIS_CLUSTER_NODES=.*names no node/],
    [{ REDIS_CLUSTER_NODES: 'n1:70000' }, /not host:port: "n1:70000"/],
    [{ REDIS_CLUSTER_NODES: 'n1', QUEUE_PREFIX: 'arkgate' }, /QUEUE_PREFIX="arkgate": .*hash tag/],
    [{ REDIS_CLUSTER_NODES: 'n1', REDIS_DB: '2' }, /REDIS_DB="2": a Redis Cluster has database 0/],
    [{ QUEUE_PREFIX: '{q}' }, /QUEUE_PREFIX=.*without any Redis/],
    [{ REDIS_CLUSTER_NODES: 'n1', QUEUE_PREFIX: '{}{arkgate}' }, /QUEUE_PREFIX=.*hash tag/],
    [{ REDIS_CLUSTER_NODES: 'n1', QUEUE_PREFIX: 'a}{b' }, /QUEUE_PREFIX=.*hash tag/],
  ])('refuses %j at boot with a clear message', (env, message) => {
    expect(() => validateEnv(env)).toThrow(message);
  });

  it('names a conflicting REDIS_URL without printing it', () => {
    expect(() =>
      validateEnv({ REDIS_URL: 'redis://:hunter2@a:6379', REDIS_CLUSTER_NODES: 'n1' }),
    ).toThrow(
      /^(?![\s\S]*hunter2)[\s\S]*REDIS_URL="redis:\/\/\*\*\*@a:6379", REDIS_CLUSTER_NODES=/,
    );
  });

  it('masks the credentials of an invalid URL and hides secrets in the boot error', () => {
    const call = () => validateEnv({ REDIS_URL: 'redis://:hunter2@red is:6379' });
    expect(call).toThrow(/REDIS_URL="redis:\/\/\*\*\*@red is:6379"/);
    expect(call).not.toThrow(/hunter2/);
  });

  it('parses node lists', () => {
    expect(parseRedisNodes('a:1,,b', 6379)).toEqual({
      nodes: [
        { host: 'a', port: 1 },
        { host: 'b', port: 6379 },
      ],
      bad: [],
    });
    expect(parseRedisNodes('a b:1,:5', 6379).bad).toEqual(['a b:1', ':5']);
  });
});
