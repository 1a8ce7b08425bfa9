/**
 * arkgate's benchmark suite (npm run bench): starts the simulator, a redis-server of its own,
 * MLflow, arkgate (dist/), a bare Node proxy and the Portkey gateway as separate processes, runs
 * the scenarios and writes bench/results/<name>.json, <name>.md and README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBenchConfig, RESULTS_DIR, type BenchConfig } from './config';
import { renderMarkdown } from './report/markdown.report';
import { machineInfo } from './report/machine';
import type { BenchResults } from './report/results.model';
import { runCapacityScenario } from './scenarios/capacity.scenario';
import { runExportScenario } from './scenarios/export.scenario';
import { runLatencyScenario, type ServingSet } from './scenarios/latency.scenario';
import { runInstructionsScenario } from './scenarios/instructions.scenario';
import { runMemoryScenario } from './scenarios/memory.scenario';
import { runProfileScenario } from './scenarios/profile.scenario';
import { runQueueLagScenario } from './scenarios/queue-lag.scenario';
import { runStreamingScenario } from './scenarios/streaming.scenario';
import { installChildCleanup, stopAllChildren } from './support/children';
import { log } from './support/log';
import {
  arkgateRestarts,
  type ArkgateTarget,
  startArkgate,
  startSupervisedArkgateWorker,
} from './targets/arkgate.target';
import type { ChatTarget } from './targets/target.model';
import { startBareProxy } from './targets/bare-proxy.target';
import { ExportQueue, redisDbUrl } from './targets/export-queue';
import { type MlflowTarget, startMlflow } from './targets/mlflow.target';
import { startPortkey } from './targets/portkey.target';
import { startRedis } from './targets/redis.target';
import { startSimulator, type SimulatorTarget } from './targets/simulator.target';

const EXPERIMENT = 'bench-serving';

interface Stack {
  mlflow: MlflowTarget;
  simulators: Map<number, SimulatorTarget>;
  sets: ServingSet[];
  /** Starts the export worker of every arkgate-on API again if it is not running. */
  ensureWorker(): Promise<void>;
}

function commandLine(config: BenchConfig): string[] {
  const vars = Object.entries(process.env)
    // BENCH_DIST_DIR is set by bench/run.sh itself (its private copy of dist/), not by the user.
    .filter(([name]) => name.startsWith('BENCH_') && name !== 'BENCH_DIST_DIR')
    .map(([name, value]) => `${name}=${value}`);
  return [
    'export PATH=$PWD/.tools/node_modules/.bin:$PWD/node_modules/.bin:$PATH',
    `${vars.join(' ')}${vars.length ? ' ' : ''}npm run bench`,
    ...(config.scenarios.includes('profile')
      ? [
          `node -r ts-node/register/transpile-only bench/profile-summary.ts bench/results/tmp/profiles/${config.resultsName}/<file>.cpuprofile`,
        ]
      : []),
  ];
}

async function startStack(config: BenchConfig, queueUrl: string): Promise<Stack> {
  log('starting MLflow');
  const mlflow = await startMlflow();
  log(`MLflow on ${mlflow.trackingUri}`);
  const portkey = config.scenarios.includes('latency') ? await startPortkey() : undefined;
  const simulators = new Map<number, SimulatorTarget>();
  const sets: ServingSet[] = [];
  for (const latency of config.upstreamLatenciesMs) {
    const simulator = await startSimulator(`${latency}ms`, latency);
    simulators.set(latency, simulator);
    const common = {
      arkBaseUrl: simulator.baseUrl,
      redisUrl: queueUrl,
      mlflowUri: mlflow.trackingUri,
      experimentName: EXPERIMENT,
      exportConcurrency: config.exportConcurrency,
      nodeArgs: config.arkgateNodeArgs,
    };
    const [bare, on, off] = await Promise.all([
      startBareProxy(`${latency}ms`, simulator.baseUrl),
      startArkgate({ ...common, label: `on-${latency}ms`, tracing: true, worker: false }),
      startArkgate({ ...common, label: `off-${latency}ms`, tracing: false, worker: false }),
    ]);
    // The same arkgate-on process, measured while its export queue is paused: the request path's
    // cost alone, without the worker and MLflow competing for the two cores.
    const queued: ChatTarget = {
      name: 'arkgate-on-queued',
      chatUrl: on.chatUrl,
      headers: on.headers,
      ensureAlive: () => on.ensureAlive(),
    };
    const targets = [simulator.direct, bare, on, queued, off];
    if (portkey) targets.push(portkey.routeTo(simulator.baseUrl));
    sets.push({ upstreamLatencyMs: latency, targets });
    log(
      `targets for ${latency} ms upstream: ${targets.map((t) => `${t.name} ${t.chatUrl}`).join(', ')}`,
    );
  }
  // One worker, as its own process, drains the queue that every arkgate-on API fills.
  const worker = await startSupervisedArkgateWorker({
    redisUrl: queueUrl,
    mlflowUri: mlflow.trackingUri,
    experimentName: EXPERIMENT,
    exportConcurrency: config.exportConcurrency,
    nodeArgs: config.arkgateNodeArgs,
  });
  return { mlflow, simulators, sets, ensureWorker: () => worker.ensureAlive() };
}

async function main(): Promise<void> {
  installChildCleanup();
  const config = readBenchConfig();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const results: BenchResults = {
    name: config.resultsName,
    quick: config.quick,
    machine: machineInfo(),
    config: { ...config },
    commands: commandLine(config),
    notes: [
      'Every target is a separate process; the load generator (autocannon 9) runs in the bench process.',
      'Latencies are exact per-request timings from autocannon (its own histogram rounds to 1 ms).',
      'arkgate runs from dist/ with NODE_ENV=production, LOG_LEVEL=warn, GATEWAY_AUTH=off, ARK_MAX_RETRIES=0.',
      'arkgate-on: the API with TRACING_ENABLED=true and WORKER_ENABLED=false, and the export worker ' +
        'as its own process (dist/worker.js) exporting to a local MLflow 3.18 (SQLite), all on the same ' +
        'two cores. The export queue is paused while other targets are measured and resumed for ' +
        'arkgate-on, so the backlog keeps the worker and MLflow busy during exactly the arkgate-on cells.',
      'arkgate-on-queued: the same arkgate-on process measured while the queue is paused: traces are ' +
        'built and enqueued to Redis but not exported, so neither the worker nor MLflow use CPU.',
      'arkgate-off: TRACING_ENABLED=false, WORKER_ENABLED=false.',
      'Redis: a redis-server the bench starts itself on a free loopback port, without persistence.',
      'bare: bench/bare-proxy.ts, node:http server + undici request() through one keep-alive Agent, streamed both ways.',
      'portkey: @portkey-ai/gateway 1.15.2, build/start-server.js --headless, x-portkey-provider: openai, ' +
        'x-portkey-custom-host: <simulator>/api/v3.',
      'The machine is shared (2 cores, other jobs running): compare targets within one run, not across runs.',
    ],
  };
  const write = () => {
    results.restarts = [...arkgateRestarts];
    writeFileSync(
      join(RESULTS_DIR, `${config.resultsName}.json`),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    const markdown = renderMarkdown(results);
    writeFileSync(join(RESULTS_DIR, `${config.resultsName}.md`), markdown);
    writeFileSync(join(RESULTS_DIR, 'README.md'), markdown);
  };

  log('starting redis-server');
  const redis = await startRedis();
  log(`redis-server on ${redis.url}`);
  const queueUrl = redisDbUrl(redis.url, config.redisDb);
  const queue = new ExportQueue(queueUrl);
  let stack: Stack | undefined;
  const run = async (name: string, scenario: () => Promise<void>) => {
    if (!config.scenarios.includes(name as BenchConfig['scenarios'][number])) return;
    log(`=== ${name}`);
    try {
      for (const set of stack?.sets ?? []) for (const t of set.targets) await t.ensureAlive?.();
      await stack?.ensureWorker();
      await scenario();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${name} failed: ${message}`);
      results.notes.push(`Scenario ${name} failed: ${message.split('\n')[0]}`);
    }
    write();
  };
  try {
    stack = await startStack(config, queueUrl);
    const s = stack;
    const primary = s.sets[0];
    await run('latency', async () => {
      const latency = await runLatencyScenario(s.sets, config, queue, () => s.ensureWorker());
      results.latency = latency.cells;
      results.serverTiming = latency.serverTiming;
    });
    await run('streaming', async () => {
      await queue.clear(); // export runs, but only for the streams' own traces
      const wanted = ['direct', 'bare', 'arkgate-on', 'arkgate-off'];
      const targets = primary.targets.filter((t) => wanted.includes(t.name));
      results.streaming = await runStreamingScenario(targets, config);
    });
    await run('queue-lag', async () => {
      const fastest = s.simulators.get(Math.min(...config.upstreamLatenciesMs)) as SimulatorTarget;
      results.queueLag = await runQueueLagScenario(
        {
          queueUrl: redisDbUrl(redis.url, config.exportRedisDb),
          upstreamBaseUrl: fastest.baseUrl,
          trackingUri: s.mlflow.trackingUri,
          experimentName: `bench-queue-lag-${Date.now()}`,
        },
        config,
      );
    });
    await run('export', async () => {
      const fastest = s.simulators.get(Math.min(...config.upstreamLatenciesMs)) as SimulatorTarget;
      results.exports = await runExportScenario(config, redis.url, fastest.baseUrl);
    });
    await run('capacity', async () => {
      const upstream = primary.upstreamLatencyMs;
      const simulator = s.simulators.get(upstream) as SimulatorTarget;
      results.capacity = await runCapacityScenario(config, redis, simulator, upstream);
    });
    await run('memory', async () => {
      const off = primary.targets.find((t) => t.name === 'arkgate-off') as ArkgateTarget;
      results.memory = await runMemoryScenario(
        {
          arkBaseUrl: (s.simulators.get(primary.upstreamLatencyMs) as SimulatorTarget).baseUrl,
          redisUrl: redisDbUrl(redis.url, config.exportRedisDb),
          mlflowUri: s.mlflow.trackingUri,
          experimentName: EXPERIMENT,
        },
        config,
        off,
      );
    });
    await run('instructions', async () => {
      const fastest = s.simulators.get(Math.min(...config.upstreamLatenciesMs)) as SimulatorTarget;
      results.instructions = await runInstructionsScenario(
        { upstreamBaseUrl: fastest.baseUrl, redisUrl: redisDbUrl(redis.url, config.exportRedisDb) },
        config,
      );
    });
    await run('profile', async () => {
      // On a queue of its own: the profiled API's traces go to the profile's own worker only.
      results.profile = await runProfileScenario(
        {
          arkBaseUrl: (s.simulators.get(primary.upstreamLatencyMs) as SimulatorTarget).baseUrl,
          redisUrl: redisDbUrl(redis.url, config.exportRedisDb),
          mlflowUri: s.mlflow.trackingUri,
          experimentName: EXPERIMENT,
          profileDir: join(RESULTS_DIR, 'tmp', 'profiles', config.resultsName),
        },
        config,
      );
    });
  } finally {
    write();
    await queue.close().catch(() => undefined);
    log('stopping every child process');
    await stopAllChildren();
    await stack?.mlflow.dispose();
    await redis.dispose();
  }
  log(`results: bench/results/${config.resultsName}.json, .md and README.md`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void stopAllChildren().finally(() => process.exit(1));
  },
);
