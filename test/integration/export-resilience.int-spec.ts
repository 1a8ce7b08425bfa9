import OpenAI from 'openai';
import { sharedMlflowServer, readMlflowTestEnv } from '../support/mlflow-test-env';
import { PrivateRedis, WorkerProcess } from '../support/child-services';
import { testRedisUrl } from '../support/test-redis.env';
import { flushRedisDb, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(240_000);

/** Sends `count` chats, `concurrency` at a time, all tagged with one session; returns their statuses. */
async function sendChats(url: string, session: string, count: number, concurrency = 8) {
  const client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const { response } = await client.chat.completions
          .create(
            {
              model: 'seed-1-6-250615',
              messages: [{ role: 'user', content: `${session} message ${i}` }],
            },
            { headers: { 'x-session-id': session } },
          )
          .withResponse();
        statuses.push(response.status);
      }
    }),
  );
  return statuses;
}

function sessionFilter(session: string): string {
  return `metadata.\`mlflow.trace.session\` = '${session}'`;
}

async function expectExactly(sut: TracedArkgate, session: string, count: number) {
  const experimentIds = [await waitForExperiment(sut)];
  const filter = sessionFilter(session);
  await sut.reader.waitForTraces({ experimentIds, filter }, count, 120_000);
  // Give a duplicate, if there were one, the time to land before counting.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const traces = await sut.reader.searchTraces({ experimentIds, filter, maxResults: 500 });
  expect(traces).toHaveLength(count);
  expect(new Set(traces.map((trace) => trace.trace_id)).size).toBe(count);
  expect(traces.every((trace) => trace.state === 'OK')).toBe(true);
}

describe('No trace is lost when MLflow, the worker or Redis is down for a while', () => {
  it('serves 200 requests while MLflow is stopped, then exports exactly 200 traces', async () => {
    const sut = await startTracedArkgate({
      experimentName: 'arkgate-resilience-mlflow',
      redisDb: 8,
    });
    const mlflow = sharedMlflowServer();
    try {
      await sendChats(sut.url, 'warm-up', 1);
      await expectExactly(sut, 'warm-up', 1);

      await mlflow.stop();
      let statuses: number[];
      try {
        statuses = await sendChats(sut.url, 'mlflow-down', 200);
      } finally {
        await mlflow.start();
      }
      expect(statuses).toHaveLength(200);
      expect(statuses.every((status) => status === 200)).toBe(true);
      await expectExactly(sut, 'mlflow-down', 200);
    } finally {
      await sut.close();
    }
  });

  it('exports every trace exactly once after the worker process is killed mid-backlog', async () => {
    const experimentName = 'arkgate-resilience-worker';
    const sut = await startTracedArkgate({
      experimentName,
      redisDb: 9,
      env: { WORKER_ENABLED: 'false' },
    });
    const workerEnv = {
      REDIS_URL: sut.redisUrl,
      MLFLOW_TRACKING_URI: readMlflowTestEnv().trackingUri,
      MLFLOW_EXPERIMENT_NAME: experimentName,
      // One trace per request, one at a time: slow enough to be killed in the middle.
      EXPORT_CONCURRENCY: '1',
      EXPORT_BATCH_SIZE: '1',
      EXPORT_RETRY_BASE_MS: '200',
      EXPORT_RETRY_MAX_DELAY_MS: '1000',
      LOG_LEVEL: 'warn',
    };
    let worker: WorkerProcess | undefined;
    try {
      const statuses = await sendChats(sut.url, 'worker-killed', 100);
      expect(statuses.every((status) => status === 200)).toBe(true);

      worker = WorkerProcess.start(workerEnv);
      const experimentId = await waitForExperiment(sut);
      await sut.reader.waitForTraces(
        { experimentIds: [experimentId], filter: sessionFilter('worker-killed') },
        5,
        60_000,
      );
      await worker.kill('SIGKILL');
      const exportedAtKill = (
        await sut.reader.searchTraces({
          experimentIds: [experimentId],
          filter: sessionFilter('worker-killed'),
          maxResults: 500,
        })
      ).length;
      expect(exportedAtKill).toBeLessThan(100);

      worker = WorkerProcess.start(workerEnv);
      await expectExactly(sut, 'worker-killed', 100);
    } finally {
      await worker?.kill('SIGTERM');
      await sut.close();
    }
  });

  it('serves requests while Redis is down and exports their traces once it is back', async () => {
    const redis = await PrivateRedis.start();
    const sut = await startTracedArkgate({
      experimentName: 'arkgate-resilience-redis',
      redisDb: 0,
      env: { REDIS_URL: redis.url },
    });
    try {
      await sendChats(sut.url, 'redis-warm-up', 1);
      await expectExactly(sut, 'redis-warm-up', 1);

      await redis.stop();
      const statuses = await sendChats(sut.url, 'redis-down', 50);
      expect(statuses.every((status) => status === 200)).toBe(true);
      await redis.start();

      await expectExactly(sut, 'redis-down', 50);
    } finally {
      await sut.close();
      await redis.stop();
    }
  });

  it('keeps the traces waiting in the hand-off window when Redis goes down under them', async () => {
    const handoffWaitMs = 1_000; // the most EXPORT_HANDOFF_WAIT_MS allows
    const redis = await PrivateRedis.start();
    let sut: TracedArkgate | undefined;
    try {
      sut = await startTracedArkgate({
        experimentName: 'arkgate-resilience-handoff',
        redisDb: 0,
        env: { REDIS_URL: redis.url, EXPORT_HANDOFF_WAIT_MS: String(handoffWaitMs) },
      });
      await sendChats(sut.url, 'handoff-warm-up', 1);
      await expectExactly(sut, 'handoff-warm-up', 1);

      // An attempt counts when Redis stopped before the first trace had waited its hand-off, so
      // that none had been sent; a stalled machine may need another (a new session each time).
      let inWindow: string | undefined;
      for (let attempt = 1; attempt <= 3 && !inWindow; attempt++) {
        const session = `handoff-window-${attempt}`;
        const started = Date.now();
        const statuses = await sendChats(sut.url, session, 8);
        await redis.stop();
        if (Date.now() - started < handoffWaitMs) inWindow = session;
        expect(statuses.every((status) => status === 200)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, handoffWaitMs));
        await redis.start();
      }

      expect(inWindow).toBeDefined();
      await expectExactly(sut, inWindow!, 8);
    } finally {
      await sut?.close();
      await redis.stop();
    }
  });
});

async function waitForExperiment(sut: TracedArkgate): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const id = await sut.experimentId().catch(() => undefined);
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the worker never created its experiment');
}

afterAll(async () => {
  await flushRedisDb(testRedisUrl(9));
});
