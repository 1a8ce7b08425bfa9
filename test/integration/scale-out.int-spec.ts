import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import { ArkgateProcess } from '../support/arkgate-process';
import { HARNESS_ARK_API_KEY } from '../support/arkgate.harness';
import { WorkerProcess } from '../support/child-services';
import { sessionFilter } from '../support/mlflow-export.harness';
import { MlflowReader } from '../support/mlflow-reader';
import { CountingProxy } from '../support/counting-proxy';
import { MlflowServer } from '../support/mlflow-server';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { TestPostgresDatabase } from '../support/postgres-database';
import { type TestRedisTopology, TestSentinelGroup } from '../support/redis-topologies';
import { TestRedisCluster } from '../support/test-redis-cluster';

jest.setTimeout(600_000);

const MODEL = 'seed-1-6-250615';
const LOAD_KEY = 'sk-scale-load';
const LIMITED_KEY = 'sk-scale-limited';
const LIMITED_RPM = 12;
const LOAD_CLIENTS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  traceId: string | null;
  totalTokens?: number;
  error?: string;
}

async function chat(url: string, key: string, session: string, text: string): Promise<Answer> {
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'x-session-id': session,
      },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: text }] }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json()) as {
      error?: { message?: string };
      usage?: { total_tokens?: number };
    };
    return {
      status: response.status,
      traceId: response.headers.get('x-mlflow-trace-id'),
      totalTokens: body.usage?.total_tokens,
      error: body.error?.message,
    };
  } catch (error) {
    return { status: 0, traceId: null, error: (error as Error).message };
  }
}

const topologies: [string, () => Promise<TestRedisTopology>][] = [
  ['Sentinel (a primary, a replica, three sentinels)', () => TestSentinelGroup.start()],
  ['Cluster (three primaries with a replica each)', () => TestRedisCluster.start()],
];

// Two API processes and two export workers on one Redis topology, exporting to two MLflow
// tracking servers over one PostgreSQL database; under steady load the Redis primary holding the
// queues is killed (a replica takes over), then a worker, then an MLflow server.
describe.each(topologies)('scale-out on Redis %s', (_name, startRedis) => {
  const { venv } = readMlflowTestEnv();
  const runId = `${process.pid}_${Date.now()}`;
  let database: TestPostgresDatabase | undefined;
  const experimentName = `arkgate-scale-${runId}`;
  const session = `scale-${runId}`;
  let artifacts: string;
  let redis: TestRedisTopology;
  let simulator: ModelArkSimulator;
  const mlflow: MlflowServer[] = [];
  // One in front of each tracking server, to see the workers use both.
  const proxies: CountingProxy[] = [];
  const apis: ArkgateProcess[] = [];
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = TestPostgresDatabase.create(`arkgate_scale_${runId}`);
    artifacts = mkdtempSync(join(tmpdir(), 'arkgate-scale-artifacts-'));
    // One after the other: the first creates the schema, the second finds it.
    for (let i = 0; i < 2; i += 1) {
      const server = await MlflowServer.create({
        venv,
        backend: 'postgresql',
        storeUri: database.uri,
        artifactRoot: artifacts,
      });
      mlflow.push(server);
      await server.start();
      proxies.push(await CountingProxy.start(server.trackingUri));
    }
    simulator = await ModelArkSimulator.start({ apiKey: HARNESS_ARK_API_KEY });
    redis = await startRedis();
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      TRACING_ENABLED: 'true',
      GATEWAY_API_KEYS: `load:${LOAD_KEY},limited:${LIMITED_KEY}:${LIMITED_RPM}`,
      ARK_API_KEY: HARNESS_ARK_API_KEY,
      ARK_BASE_URL: simulator.url,
      ARK_DEFAULT_MODEL: MODEL,
      ARK_MAX_RETRIES: '0',
      MLFLOW_TRACKING_URI: proxies.map((proxy) => proxy.url).join(','),
      MLFLOW_EXPERIMENT_NAME: experimentName,
      EXPORT_RETRY_BASE_MS: '200',
      EXPORT_RETRY_MAX_DELAY_MS: '2000',
      ...redis.env,
    };
    const started = await Promise.allSettled([
      ArkgateProcess.start({ ...env, WORKER_ENABLED: 'false' }),
      ArkgateProcess.start({ ...env, WORKER_ENABLED: 'false' }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') apis.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    workers.push(WorkerProcess.start(env), WorkerProcess.start(env));
  });

  afterAll(async () => {
    // Every step runs, whatever failed before it: the database above all is dropped.
    const steps: (() => Promise<unknown> | void)[] = [
      ...apis.map((api) => () => api.kill('SIGKILL')),
      ...workers.map((worker) => () => worker.kill('SIGKILL')),
      () => simulator?.close(),
      ...proxies.map((proxy) => () => proxy.close()),
      () => redis?.stop(),
      ...mlflow.map((server) => () => server.dispose()),
      () => {
        if (artifacts) rmSync(artifacts, { recursive: true, force: true });
      },
      () => database?.drop(),
    ];
    const errors: unknown[] = [];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch((e) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  });

  const logs = () =>
    [
      ...apis.map((api, i) => `--- api ${i}\n${api.log.slice(-3000)}`),
      ...workers.map((worker, i) => `--- worker ${i}\n${worker.log.slice(-3000)}`),
    ].join('\n');

  it('answers every request and delivers every trace once while a Redis primary, a worker and an MLflow server die', async () => {
    for (const api of apis) {
      const ready = await fetch(`${api.url}/health/ready`);
      expect({ status: ready.status, body: await ready.text() }).toMatchObject({ status: 200 });
    }

    const answers: Answer[] = [];
    let spread: number[] = [];
    let stop = false;
    const load = Array.from({ length: LOAD_CLIENTS }, async (_, client) => {
      for (let i = 0; !stop; i += 1) {
        const api = apis[(client + i) % apis.length];
        answers.push(await chat(api.url, LOAD_KEY, session, `client ${client} request ${i}`));
        await sleep(50);
      }
    });
    const events: string[] = [];
    const timeline = (async () => {
      await sleep(4_000);
      const { killed, promoted } = await redis.failOverPrimary('{arkgate}');
      events.push(
        `Redis primary ${killed} killed, ${promoted} promoted after ${answers.length} requests`,
      );
      await sleep(3_000);
      await workers[0].kill('SIGKILL');
      events.push(`worker 0 killed after ${answers.length} requests`);
      await sleep(3_000);
      spread = proxies.map((proxy) => proxy.count('POST /v1/traces'));
      await proxies[1].close();
      await mlflow[1].stop();
      events.push(`MLflow server 1 stopped after ${answers.length} requests`);
      await sleep(5_000);
    })();
    await timeline.finally(() => (stop = true));
    await Promise.all(load);

    const byStatus = answers.reduce<Record<number, number>>(
      (counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
      {},
    );
    const failures = answers.filter(({ status }) => status !== 200);
    process.stderr.write(`scale-out: ${JSON.stringify({ byStatus, events, spread })}\n`);
    // Fails fast with a clear 503 where that is the right answer; nothing else goes wrong.
    expect({
      byStatus,
      events,
      failures: failures.filter(({ status }) => status !== 503),
    }).toMatchObject({
      failures: [],
    });
    for (const failure of failures) expect(failure.error).toEqual(expect.any(String));
    // Both tracking servers took span batches before one of them went away.
    expect(spread).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.min(...spread)).toBeGreaterThan(0);
    expect(byStatus[200]).toBeGreaterThan(answers.length * 0.9);

    const traced = new Set(answers.flatMap(({ traceId }) => (traceId ? [traceId] : [])));
    expect(traced.size).toBe(answers.filter(({ traceId }) => traceId).length);
    const reader = new MlflowReader(mlflow[0].trackingUri);
    const experiment = await reader.getExperimentByName(experimentName);
    expect(experiment).toBeDefined();
    const search = { experimentIds: [experiment!.experiment_id], filter: sessionFilter(session) };
    // Pages of a search shift while traces still arrive: wait for all, then read once more.
    const deadline = Date.now() + 240_000;
    let arrived = new Set<string>();
    while (arrived.size < traced.size && Date.now() < deadline) {
      arrived = new Set((await reader.searchTraces(search)).map((trace) => trace.trace_id));
      if (arrived.size < traced.size) await sleep(1_000);
    }
    if (arrived.size < traced.size) {
      const missing = [...traced].filter((id) => !arrived.has(id)).slice(0, 10);
      throw new Error(
        `${arrived.size} of ${traced.size} traces in MLflow; missing e.g. ${missing.join(', ')}\n` +
          `${events.join('\n')}\n${logs()}`,
      );
    }
    await sleep(2_000);
    const found = await reader.searchTraces(search);
    const ids = found.map((trace) => trace.trace_id);
    // Every answered request's trace, and no other.
    expect(new Set(ids)).toEqual(traced);
    // Exactly once: a trace exported twice (a job run again after the failover, a batch sent to
    // both servers) must still hold its two spans once each and its usage once.
    const sample = [...traced].filter((_, i) => i % Math.ceil(traced.size / 40) === 0);
    const shapes = await Promise.all(
      sample.map(async (traceId) => {
        const { info, spans } = await reader.getTraceFromStore(traceId);
        const tokens = info.trace_metadata?.['mlflow.trace.tokenUsage'];
        return {
          spans: spans.map((span) => span.name).sort(),
          totalTokens: tokens ? (JSON.parse(tokens) as { total_tokens: number }).total_tokens : -1,
        };
      }),
    );
    const usage = new Map(answers.map((answer) => [answer.traceId, answer.totalTokens]));
    expect(shapes).toEqual(
      sample.map((traceId) => ({
        spans: shapes[0].spans,
        totalTokens: usage.get(traceId),
      })),
    );
    expect(shapes[0].spans).toHaveLength(2);
  });

  it('holds a per-key rate limit across both APIs after the failover', async () => {
    // One fixed one-minute window for the whole check.
    while (Date.now() % 60_000 > 40_000 || Date.now() % 60_000 < 1_000) await sleep(500);
    const statuses: number[] = [];
    for (let i = 0; i < LIMITED_RPM * 2; i += 1) {
      const api = apis[i % apis.length];
      statuses.push(
        (await chat(api.url, LIMITED_KEY, `${session}-limited`, `limited ${i}`)).status,
      );
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMITED_RPM);
    expect(statuses.filter((status) => status === 429)).toHaveLength(LIMITED_RPM);

    for (const api of apis) {
      const ready = await fetch(`${api.url}/health/ready`);
      expect({ status: ready.status, body: await ready.text() }).toMatchObject({ status: 200 });
    }
  });
});
