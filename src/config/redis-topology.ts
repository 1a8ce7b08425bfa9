import type { EnvironmentVariables } from './environment-variables.model';

export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and TLS of the data nodes (a URL's own credentials win over these). */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

interface RedisTopologyBase {
  auth: RedisAuth;
  /** BullMQ's key prefix; braced (one hash slot) on a Cluster. */
  queuePrefix: string;
  /** Replicas a queued job must reach (WAIT) before it counts as handed over; 0: no wait. */
  waitReplicas: number;
  waitTimeoutMs: number;
}

export interface SingleRedis extends RedisTopologyBase {
  kind: 'single';
  url: string;
}

export interface SentinelRedis extends RedisTopologyBase {
  kind: 'sentinel';
  sentinels: RedisNode[];
  masterName: string;
  sentinelPassword?: string;
  sentinelTls: boolean;
  db: number;
}

export interface ClusterRedis extends RedisTopologyBase {
  kind: 'cluster';
  nodes: RedisNode[];
}

/** Where every Redis user of the process (queues, limits, budgets, caches) connects. */
export type RedisTopology = SingleRedis | SentinelRedis | ClusterRedis;

export interface RedisTopologyProblem {
  variable: string;
  reason: string;
}

/** BullMQ's own default, kept for a single node and Sentinel so an upgrade finds its queued jobs. */
const DEFAULT_QUEUE_PREFIX = 'bull';
/** On a Cluster every key of a queue must hash to one slot: the braces name the part hashed. */
const DEFAULT_CLUSTER_QUEUE_PREFIX = '{arkgate}';
const DEFAULT_SENTINEL_PORT = 26379;
const DEFAULT_NODE_PORT = 6379;

/**
 * Redis hashes only the part between the first `{` and the first `}` after it, when that part is
 * not empty: then every key that starts with the prefix lands in one slot.
 */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/** `host:port,host:port` (`[v6]:port` for IPv6); the port defaults to `defaultPort`. */
export function parseRedisNodes(
  list: string,
  defaultPort: number,
): { nodes: RedisNode[]; bad: string[] } {
  const nodes: RedisNode[] = [];
  const bad: string[] = [];
  for (const entry of list.split(',').map((item) => item.trim())) {
    if (!entry) continue;
    const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+))(?::(\d+))?$/.exec(entry);
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    if (!match || port < 1 || port > 65535) bad.push(entry);
    else nodes.push({ host: match[1] ?? match[2], port });
  }
  return { nodes, bad };
}

/**
 * Reads the Redis settings into one topology: `REDIS_URL`, `REDIS_SENTINELS` or
 * `REDIS_CLUSTER_NODES` (at most one of them), or none (in-process queues). Problems are returned,
 * not thrown, so the boot error can name every bad variable at once.
 */
export function readRedisTopology(env: EnvironmentVariables): {
  topology?: RedisTopology;
  problems: RedisTopologyProblem[];
} {
  const problems: RedisTopologyProblem[] = [];
  const set = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (set.length > 1) {
    problems.push({
      variable: set.join(', '),
      reason: 'set one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES: they are alternatives',
    });
    return { problems };
  }
  const auth: RedisAuth = {
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    tls: env.REDIS_TLS,
  };
  // What every topology carries; Sentinel and Cluster have replicas to wait for.
  const common = (defaultPrefix: string, replicated: boolean) => ({
    auth,
    queuePrefix: env.QUEUE_PREFIX ?? defaultPrefix,
    waitReplicas: env.REDIS_WAIT_REPLICAS ?? (replicated ? 1 : 0),
    waitTimeoutMs: env.REDIS_WAIT_TIMEOUT_MS,
  });
  const nodesOf = (variable: string, list: string, defaultPort: number) => {
    const { nodes, bad } = parseRedisNodes(list, defaultPort);
    if (bad.length > 0) {
      problems.push({ variable, reason: `not host:port: ${bad.map((b) => `"${b}"`).join(', ')}` });
    } else if (nodes.length === 0) {
      problems.push({ variable, reason: 'names no node' });
    }
    return nodes;
  };

  let topology: RedisTopology | undefined;
  if (env.REDIS_URL !== undefined) {
    topology = {
      kind: 'single',
      url: env.REDIS_URL,
      ...common(DEFAULT_QUEUE_PREFIX, false),
    };
  } else if (env.REDIS_SENTINELS !== undefined) {
    topology = {
      kind: 'sentinel',
      sentinels: nodesOf('REDIS_SENTINELS', env.REDIS_SENTINELS, DEFAULT_SENTINEL_PORT),
      masterName: env.REDIS_SENTINEL_MASTER_NAME,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      sentinelTls: env.REDIS_SENTINEL_TLS,
      db: env.REDIS_DB,
      ...common(DEFAULT_QUEUE_PREFIX, true),
    };
  } else if (env.REDIS_CLUSTER_NODES !== undefined) {
    topology = {
      kind: 'cluster',
      nodes: nodesOf('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES, DEFAULT_NODE_PORT),
      ...common(DEFAULT_CLUSTER_QUEUE_PREFIX, true),
    };
    if (!hasHashTag(topology.queuePrefix)) {
      problems.push({
        variable: 'QUEUE_PREFIX',
        reason:
          'on a Redis Cluster the prefix needs a hash tag in braces (e.g. "{arkgate}") so that ' +
          "every key of a queue lands in one slot, as BullMQ's scripts require",
      });
    }
    if (env.REDIS_DB !== 0) {
      problems.push({ variable: 'REDIS_DB', reason: 'a Redis Cluster has database 0 only' });
    }
  }
  if (!topology && env.QUEUE_PREFIX !== undefined) {
    problems.push({ variable: 'QUEUE_PREFIX', reason: 'set without any Redis to put queues in' });
  }
  return problems.length > 0 ? { problems } : { topology, problems };
}

/** Where the topology points, for logs and readiness: never a password. */
export function describeRedisTopology(topology: RedisTopology): string {
  const list = (nodes: RedisNode[]) =>
    nodes.map(({ host, port }) => (host.includes(':') ? `[${host}]` : host) + `:${port}`).join(',');
  switch (topology.kind) {
    case 'single': {
      const url = new URL(topology.url);
      return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    }
    case 'sentinel':
      return `sentinel master "${topology.masterName}" via ${list(topology.sentinels)}`;
    case 'cluster':
      return `cluster via ${list(topology.nodes)}`;
  }
}

const topologies = new WeakMap<EnvironmentVariables, RedisTopology | undefined>();

/**
 * The topology of an environment {@link validateEnv} already accepted, read once per environment
 * however many config slices ask (they share the object).
 */
export function redisTopologyOf(env: EnvironmentVariables): RedisTopology | undefined {
  if (!topologies.has(env)) topologies.set(env, readRedisTopology(env).topology);
  return topologies.get(env);
}
