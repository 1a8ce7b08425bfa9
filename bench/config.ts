import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
/** Built arkgate: bench/run.sh points this at a private snapshot of dist/. */
export const DIST_DIR = process.env.BENCH_DIST_DIR || join(REPO_ROOT, 'dist');

export const SCENARIOS = [
  'latency',
  'streaming',
  'export',
  'capacity',
  'queue-lag',
  'memory',
  'profile',
  'instructions',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Everything the bench can be told through BENCH_* variables (the only place that reads them). */
export interface BenchConfig {
  quick: boolean;
  /** Seconds per measured autocannon cell. */
  durationS: number;
  /** Seconds of warm-up per target before the first measured cell. */
  warmupS: number;
  connections: number[];
  /** Upstream (simulator) latencies of the non-streaming table, ms. */
  upstreamLatenciesMs: number[];
  /** Measured rounds per cell; the targets are measured in a different order each round. */
  rounds: number;
  /** Streams per target for TTFT / last token (sequential, one at a time). */
  streamSamples: number;
  streamTokens: number;
  streamTokenDelayMs: number;
  exportBacklog: number;
  /** Traces replayed by the plain MLflow loop (the ceiling). */
  ceilingTraces: number;
  exportConcurrency: number;
  /** Requests in flight of the plain one-trace-per-request loop (the baseline). */
  plainLoopConcurrency: number;
  /** MLflow backend stores the export scenario runs against. */
  exportBackends: ('sqlite' | 'postgresql')[];
  queueLagS: number;
  memoryStreams: number;
  memoryStreamTokenDelayMs: number;
  memoryRequests: number;
  /** RSS is sampled every this many requests. */
  memorySampleEvery: number;
  profileS: number;
  /** Requests before the instruction counter is zeroed, and requests counted, per target. */
  instructionsWarmup: number;
  instructionsRequests: number;
  instructionsConnections: number;
  /** Sustained request rate the capacity report's sizing example is worked out for. */
  capacitySizingRps: number;
  scenarios: ScenarioName[];
  /** DB of the serving instances on the bench's own redis-server (bench/targets/redis.target.ts). */
  redisDb: number;
  /** DB of the export backlog scenario on the same server. */
  exportRedisDb: number;
  resultsName: string;
  /** Extra node flags for the serving arkgate processes, e.g. `--max-old-space-size=192`. */
  arkgateNodeArgs: string[];
}

/** The default heap flags of scripts/lib.sh and the Dockerfile, so the bench measures defaults. */
const ARKGATE_NODE_ARGS = '--max-old-space-size=512 --max-semi-space-size=32';

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`);
  return value;
}

function list(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const text = env[name];
  if (!text) return fallback;
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isFinite(value)) throw new Error(`${name}: "${part}" is not a number`);
    return value;
  });
}

function scenarios(env: NodeJS.ProcessEnv): ScenarioName[] {
  const text = env.BENCH_SCENARIOS;
  if (!text) return [...SCENARIOS];
  const chosen = text.split(',').map((part) => part.trim());
  const unknown = chosen.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')}`);
  return chosen as ScenarioName[];
}

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = ['1', 'true', 'yes'].includes((env.BENCH_QUICK ?? '').toLowerCase());
  const durationS = int(env, 'BENCH_DURATION_S', quick ? 2 : 10);
  return {
    quick,
    durationS,
    warmupS: int(env, 'BENCH_WARMUP_S', quick ? 1 : 3),
    connections: list(env, 'BENCH_CONNECTIONS', [1, 8, 32, 128]),
    upstreamLatenciesMs: list(env, 'BENCH_UPSTREAM_LATENCIES_MS', [20, 0]),
    rounds: int(env, 'BENCH_ROUNDS', quick ? 1 : 2),
    streamSamples: int(env, 'BENCH_STREAM_SAMPLES', quick ? 10 : 50),
    streamTokens: int(env, 'BENCH_STREAM_TOKENS', 100),
    streamTokenDelayMs: int(env, 'BENCH_STREAM_TOKEN_DELAY_MS', 5),
    exportBacklog: int(env, 'BENCH_EXPORT_BACKLOG', quick ? 1_000 : 10_000),
    ceilingTraces: int(env, 'BENCH_CEILING_TRACES', quick ? 500 : 3_000),
    exportConcurrency: int(env, 'BENCH_EXPORT_CONCURRENCY', 2),
    plainLoopConcurrency: int(env, 'BENCH_PLAIN_LOOP_CONCURRENCY', 4),
    exportBackends: (env.BENCH_EXPORT_BACKENDS ?? 'sqlite,postgresql')
      .split(',')
      .map((name) => name.trim())
      .filter(
        (name): name is 'sqlite' | 'postgresql' => name === 'sqlite' || name === 'postgresql',
      ),
    queueLagS: int(env, 'BENCH_QUEUE_LAG_S', quick ? 5 : 60),
    memoryStreams: int(env, 'BENCH_MEMORY_STREAMS', 256),
    memoryStreamTokenDelayMs: int(env, 'BENCH_MEMORY_TOKEN_DELAY_MS', 50),
    memoryRequests: int(env, 'BENCH_MEMORY_REQUESTS', quick ? 10_000 : 100_000),
    memorySampleEvery: int(env, 'BENCH_MEMORY_SAMPLE_EVERY', quick ? 1_000 : 10_000),
    profileS: int(env, 'BENCH_PROFILE_S', quick ? 5 : 20),
    instructionsWarmup: int(env, 'BENCH_INSTRUCTIONS_WARMUP', quick ? 2_000 : 3_000),
    instructionsRequests: int(env, 'BENCH_INSTRUCTIONS_REQUESTS', quick ? 500 : 1_000),
    instructionsConnections: int(env, 'BENCH_INSTRUCTIONS_CONNECTIONS', 8),
    capacitySizingRps: int(env, 'BENCH_CAPACITY_SIZING_RPS', 500),
    scenarios: scenarios(env),
    redisDb: int(env, 'BENCH_REDIS_DB', 2),
    exportRedisDb: int(env, 'BENCH_EXPORT_REDIS_DB', 15),
    resultsName: env.BENCH_RESULTS_NAME ?? (quick ? 'quick' : 'full'),
    // The heap settings arkgate is started with (scripts/lib.sh, Dockerfile) unless told otherwise.
    arkgateNodeArgs: (env.BENCH_ARKGATE_NODE_ARGS ?? ARKGATE_NODE_ARGS).split(' ').filter(Boolean),
  };
}
