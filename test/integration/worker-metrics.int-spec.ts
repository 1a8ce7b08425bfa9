import { freePort, WorkerProcess } from '../support/child-services';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const EXPERIMENT = 'arkgate-worker-metrics';

/** The value of an unlabelled sample in Prometheus' text format (0 when absent). */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

describe('The standalone worker', () => {
  let sut: TracedArkgate;
  let worker: WorkerProcess | undefined;
  let workerUrl: string;

  beforeAll(async () => {
    sut = await startTracedArkgate({
      experimentName: EXPERIMENT,
      redisDb: 10,
      env: { WORKER_ENABLED: 'false' },
    });
    const port = await freePort();
    workerUrl = `http://127.0.0.1:${port}`;
    worker = WorkerProcess.start({
      REDIS_URL: sut.redisUrl,
      MLFLOW_TRACKING_URI: readMlflowTestEnv().trackingUri,
      MLFLOW_EXPERIMENT_NAME: EXPERIMENT,
      HOST: '127.0.0.1',
      WORKER_METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await sut.close();
  });

  it('serves its own export metrics, which the API process cannot see', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${sut.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-session-id': 'worker-metrics' },
        body: JSON.stringify({ messages: [{ role: 'user', content: `hello ${i}` }] }),
      });
      expect(response.status).toBe(200);
    }
    const experimentIds = [await waitFor(() => sut.experimentId())];
    await sut.reader.waitForTraces(
      { experimentIds, filter: "metadata.`mlflow.trace.session` = 'worker-metrics'" },
      3,
      60_000,
    );

    const workerMetrics = await waitFor(async () => {
      const text = await scrape(workerUrl);
      if (sample(text, 'arkgate_export_lag_seconds_count') < 3) throw new Error('not yet');
      return text;
    });
    expect(sample(workerMetrics, 'arkgate_export_queue_depth')).toBe(0);
    expect(sample(await scrape(sut.url), 'arkgate_export_lag_seconds_count')).toBe(0);
    expect((await fetch(`${workerUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${workerUrl}/anything-else`)).status).toBe(404);
  });
});

async function waitFor<T>(read: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
