import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from '../config';
import type {
  CapacityApiResult,
  CapacityApiRound,
  CapacityResult,
  CapacityWorkerResult,
} from '../report/results.model';
import {
  type CpuWindowResult,
  oneProcess,
  processesNamed,
  processTree,
  startCpuWindow,
} from '../support/cpu';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { MlflowRest } from '../support/mlflow-rest';
import { summarize } from '../support/stats';
import { startArkgate, startArkgateWorker } from '../targets/arkgate.target';
import { ExportQueue, redisDbUrl } from '../targets/export-queue';
import { type MlflowTarget, startMlflow } from '../targets/mlflow.target';
import type { RedisTarget } from '../targets/redis.target';
import type { SimulatorTarget } from '../targets/simulator.target';
import { CHAT_BODY } from './request-bodies';

/** arkgate's EXPORT_BATCH_SIZE default (the bench does not set it). */
const BATCH_SIZE = 100;
/** The drain fails when the backlog has not moved for this long. */
const STALL_MS = 60_000;

const per1000 = (cpuSeconds: number, count: number) =>
  count > 0 ? (cpuSeconds / count) * 1000 : NaN;

/**
 * Capacity per core: CPU seconds each process used (/proc, a process's descendants included) over
 * the measured windows, next to what it did in them. First the API alone (tracing on,
 * WORKER_ENABLED=false, traces queued to Redis) at the highest concurrency, `rounds` windows of
 * `durationS`, with the deployment's heap flags and with V8's own (the semi-space size weighs on
 * CPU per request), in turn; then one worker process (dist/worker.js, the deployment's heap flags) drains up to `exportBacklog` of the traces
 * those requests queued into a fresh MLflow server on PostgreSQL, with nothing else of the bench
 * busy. Everything runs on the same machine, so the per-CPU-second figures are the ones to size
 * with; rates are what this machine gave with everything on it.
 */
export async function runCapacityScenario(
  config: BenchConfig,
  redis: RedisTarget,
  simulator: SimulatorTarget,
  upstreamLatencyMs: number,
): Promise<CapacityResult> {
  const queue = new ExportQueue(redisDbUrl(redis.url, config.exportRedisDb));
  await queue.flush();
  log('capacity: starting MLflow on PostgreSQL with its default workers');
  const server = await startMlflow({ backend: 'postgresql' });
  const common = {
    redisUrl: queue.redisUrl,
    mlflowUri: server.trackingUri,
    experimentName: `bench-capacity-${Date.now()}`,
    exportConcurrency: config.exportConcurrency,
  };
  try {
    const apis = await measureApis(config, redis, simulator, upstreamLatencyMs, common);
    const worker = await measureWorker(config, redis, server, queue, common);
    return { apis, worker, sizingRequestsPerSecond: config.capacitySizingRps };
  } finally {
    await queue.flush();
    await queue.close();
    await server.dispose();
  }
}

interface Common {
  redisUrl: string;
  mlflowUri: string;
  experimentName: string;
  exportConcurrency: number;
}

/** Heap flags the API is measured with: the deployment's (BENCH_ARKGATE_NODE_ARGS), then V8's own. */
function heapVariants(config: BenchConfig): string[][] {
  return config.arkgateNodeArgs.length ? [config.arkgateNodeArgs, []] : [[]];
}

type ApiWindow = CpuWindowResult<'api' | 'redis' | 'simulator' | 'loadGenerator'>;

interface ApiTally {
  latencies: number[];
  rounds: CapacityApiRound[];
  windows: ApiWindow[];
  requests: number;
  errors: number;
}

/** One API process per heap variant, idle but for its own windows, measured in turn each round. */
async function measureApis(
  config: BenchConfig,
  redis: RedisTarget,
  simulator: SimulatorTarget,
  upstreamLatencyMs: number,
  common: Common,
): Promise<CapacityApiResult[]> {
  const variants = heapVariants(config);
  const apis = await Promise.all(
    variants.map((nodeArgs, index) =>
      startArkgate({
        ...common,
        label: `capacity-api-${index}`,
        arkBaseUrl: simulator.baseUrl,
        tracing: true,
        worker: false,
        nodeArgs,
      }),
    ),
  );
  const connections = Math.max(...config.connections);
  const label = (index: number) => variants[index].join(' ') || "V8's default heap";
  const load = (index: number, durationS: number) =>
    runLoad({
      url: apis[index].chatUrl,
      body: CHAT_BODY,
      connections,
      durationS,
      keepLatencies: true,
    });
  try {
    const tallies = variants.map((): ApiTally => ({
      latencies: [],
      rounds: [],
      windows: [],
      requests: 0,
      errors: 0,
    }));
    for (const index of variants.keys()) {
      log(
        `capacity: API (${label(index)}) warm-up, ${connections} clients for ${config.warmupS} s`,
      );
      await load(index, config.warmupS);
    }
    for (let round = 0; round < Math.max(1, config.rounds); round += 1) {
      for (let turn = 0; turn < variants.length; turn += 1) {
        const index = (turn + round) % variants.length;
        const window = startCpuWindow({
          api: processTree(apis[index].pid),
          redis: processTree(redis.pid),
          simulator: processTree(simulator.process.child.pid),
          loadGenerator: oneProcess(process.pid),
        });
        const result = await load(index, config.durationS);
        const measured = window.stop();
        const tally = tallies[index];
        tally.windows.push(measured);
        tally.latencies.push(...(result.latencies ?? []));
        tally.requests += result.requests;
        tally.errors += result.errors + result.non2xx + result.timeouts;
        const cell: CapacityApiRound = {
          seconds: measured.seconds,
          requestsPerSecond: result.requests / measured.seconds,
          apiCores: measured.cpu.api.cores,
          requestsPerApiCpuSecond: result.requests / measured.cpu.api.cpuSeconds,
        };
        tally.rounds.push(cell);
        log(
          `capacity: API (${label(index)}) ${cell.requestsPerSecond.toFixed(0)} req/s on ` +
            `${cell.apiCores.toFixed(2)} cores (${cell.requestsPerApiCpuSecond.toFixed(0)} per CPU ` +
            `second), machine ${measured.machine.cores.toFixed(2)} cores busy`,
        );
      }
    }
    return tallies.map((tally, index) =>
      apiResult(tally, variants[index], connections, upstreamLatencyMs),
    );
  } finally {
    await Promise.all(apis.map((api) => api.process.stop()));
  }
}

function apiResult(
  tally: ApiTally,
  nodeArgs: string[],
  connections: number,
  upstreamLatencyMs: number,
): CapacityApiResult {
  const seconds = tally.windows.reduce((total, w) => total + w.seconds, 0);
  const sum = (pick: (w: ApiWindow) => number) => {
    const cpuSeconds = tally.windows.reduce((total, w) => total + pick(w), 0);
    return { cpuSeconds, cores: cpuSeconds / seconds };
  };
  const cpu = {
    api: sum((w) => w.cpu.api.cpuSeconds),
    redis: sum((w) => w.cpu.redis.cpuSeconds),
    simulator: sum((w) => w.cpu.simulator.cpuSeconds),
    loadGenerator: sum((w) => w.cpu.loadGenerator.cpuSeconds),
    machine: sum((w) => w.machine.cpuSeconds),
  };
  return {
    nodeArgs,
    upstreamLatencyMs,
    connections,
    seconds,
    requests: tally.requests,
    errors: tally.errors,
    requestsPerSecond: tally.requests / seconds,
    latency: summarize(tally.latencies),
    cpu,
    requestsPerApiCpuSecond: tally.requests / cpu.api.cpuSeconds,
    redisCpuSecondsPer1000: per1000(cpu.redis.cpuSeconds, tally.requests),
    rounds: tally.rounds,
  };
}

async function measureWorker(
  config: BenchConfig,
  redis: RedisTarget,
  server: MlflowTarget,
  queue: ExportQueue,
  common: Common,
): Promise<CapacityWorkerResult> {
  const postgres = server.postgres;
  if (!postgres) throw new Error('capacity: MLflow is not on PostgreSQL');
  log('capacity: starting one worker process');
  const worker = await startArkgateWorker({ ...common, nodeArgs: config.arkgateNodeArgs });
  let stopped = false;
  try {
    const failedBefore = (await queue.counts()).failed ?? 0;
    const backlogStart = await queue.backlog();
    const wanted = Math.min(config.exportBacklog, backlogStart);
    log(`capacity: worker draining ${wanted} of ${backlogStart} queued traces`);
    const sizeBefore = postgres.sizeBytes();
    const window = startCpuWindow({
      worker: processTree(worker.child.pid),
      mlflow: processTree(server.pid),
      redis: processTree(redis.pid),
      postgresBackends: processesNamed('postgres', ` ${postgres.database} `),
      postgresServer: processesNamed('postgres'),
    });
    let left = backlogStart;
    let lastMove = performance.now();
    while (backlogStart - left < wanted) {
      await sleep(250);
      const now = await queue.backlog();
      if (now !== left) lastMove = performance.now();
      else if (performance.now() - lastMove > STALL_MS) {
        throw new Error(`capacity: the backlog stayed at ${now} for ${STALL_MS / 1000} s`);
      }
      left = now;
    }
    const measured = window.stop();
    const sizeAfter = postgres.sizeBytes();
    const failed = ((await queue.counts()).failed ?? 0) - failedBefore;
    await worker.stop();
    stopped = true;
    const traces = backlogStart - left;
    const mlflow = new MlflowRest(server.trackingUri);
    const experimentId = await mlflow.experimentId(common.experimentName);
    const inMlflow = experimentId ? await mlflow.countTraces(experimentId) : 0;
    const { cpu } = measured;
    const tracesPerSecond = traces / measured.seconds;
    const result: CapacityWorkerResult = {
      backend: 'postgresql',
      mlflowWorkers: server.workers,
      exportConcurrency: config.exportConcurrency,
      batchSize: BATCH_SIZE,
      traces,
      seconds: measured.seconds,
      tracesPerSecond,
      failed,
      inMlflow,
      cpu: { ...cpu, machine: measured.machine },
      tracesPerWorkerCpuSecond: traces / cpu.worker.cpuSeconds,
      tracesPerMlflowCpuSecond: traces / cpu.mlflow.cpuSeconds,
      mlflowCpuSecondsPer1000: per1000(cpu.mlflow.cpuSeconds, traces),
      postgresBackendCpuSecondsPer1000: per1000(cpu.postgresBackends.cpuSeconds, traces),
      postgresServerCpuSecondsPer1000: per1000(cpu.postgresServer.cpuSeconds, traces),
      redisCpuSecondsPer1000: per1000(cpu.redis.cpuSeconds, traces),
      databaseMbPer1000: per1000((sizeAfter - sizeBefore) / 1024 ** 2, traces),
      secondsPerBatch: (config.exportConcurrency * BATCH_SIZE) / tracesPerSecond,
    };
    log(
      `capacity: worker ${tracesPerSecond.toFixed(1)} traces/s, ` +
        `${result.tracesPerWorkerCpuSecond.toFixed(0)} per worker CPU second, ` +
        `MLflow ${result.mlflowCpuSecondsPer1000.toFixed(2)} CPU s per 1000, ` +
        `PostgreSQL ${result.postgresBackendCpuSecondsPer1000.toFixed(2)} CPU s per 1000, ` +
        `${inMlflow} in MLflow, ${failed} failed`,
    );
    return result;
  } finally {
    if (!stopped) await worker.stop();
  }
}
