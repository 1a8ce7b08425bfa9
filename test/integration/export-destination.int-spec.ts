import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { randomUUID } from 'node:crypto';
import { MlflowClient } from '../../src/mlflow/mlflow.client';
import { MlflowExperimentResolver } from '../../src/mlflow/mlflow-experiment.resolver';
import { MlflowTraceExporter } from '../../src/mlflow/mlflow-trace.exporter';
import { TRACE_EXPORT_JOB, TRACE_EXPORT_QUEUE } from '../../src/queue/queue.constants';
import type { TraceExportJob } from '../../src/queue/trace-export-job.model';
import { buildChatTrace } from '../support/chat-trace.builder';
import { WorkerProcess } from '../support/child-services';
import { sessionFilter } from '../support/mlflow-export.harness';
import { MlflowReader } from '../support/mlflow-reader';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { testRedisUrl } from '../support/test-redis.env';
import { eventually, flushRedisDb, startTracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(180_000);

const { trackingUri } = readMlflowTestEnv();
const reader = new MlflowReader(trackingUri);

function workerEnv(redisUrl: string, experimentName: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    MLFLOW_TRACKING_URI: trackingUri,
    MLFLOW_EXPERIMENT_NAME: experimentName,
    EXPORT_RETRY_BASE_MS: '200',
    EXPORT_RETRY_MAX_DELAY_MS: '1000',
    WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
}

async function experimentIdOf(name: string): Promise<string> {
  return eventually(async () => (await reader.getExperimentByName(name))?.experiment_id);
}

describe('Queued traces keep their destination and fail alone', () => {
  let worker: WorkerProcess | undefined;

  afterEach(async () => {
    await worker?.kill('SIGTERM');
    worker = undefined;
  });

  it('exports traces queued under one experiment name to it after a restart with another', async () => {
    const recordedIn = `arkgate-dest-a-${randomUUID()}`;
    const restartedWith = `arkgate-dest-b-${randomUUID()}`;
    const session = `sess-${randomUUID()}`;
    const sut = await startTracedArkgate({
      experimentName: recordedIn,
      redisDb: 15,
      env: { WORKER_ENABLED: 'false' },
    });
    try {
      const client = new OpenAI({ apiKey: 'unused', baseURL: `${sut.url}/v1`, maxRetries: 0 });
      for (let i = 0; i < 10; i += 1) {
        await client.chat.completions.create(
          { model: 'seed-1-6-250615', messages: [{ role: 'user', content: `hello ${i}` }] },
          { headers: { 'x-session-id': session } },
        );
      }
    } finally {
      await sut.close();
    }

    worker = WorkerProcess.start(workerEnv(sut.redisUrl, restartedWith));
    const experimentIds = [await experimentIdOf(recordedIn)];
    const traces = await reader.waitForTraces(
      { experimentIds, filter: sessionFilter(session) },
      10,
      120_000,
    );
    expect(traces).toHaveLength(10);
    expect(await reader.getExperimentByName(restartedWith)).toBeUndefined();
  });

  it('keeps only the trace MLflow refuses as a failed job, with its reason', async () => {
    const redisUrl = testRedisUrl(2);
    await flushRedisDb(redisUrl);
    const experiment = `arkgate-poison-${randomUUID()}`;
    // A trace already stored in another experiment: MLflow refuses its spans anywhere else.
    const client = new MlflowClient({ trackingUri });
    const exporter = new MlflowTraceExporter(
      client,
      (name) => new MlflowExperimentResolver(client, name),
    );
    const poison = buildChatTrace();
    await exporter.export(`arkgate-poison-elsewhere-${randomUUID()}`, poison);
    const session = `sess-${randomUUID()}`;
    const good = Array.from({ length: 5 }, () => buildChatTrace({ sessionId: session }));
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue<TraceExportJob>(TRACE_EXPORT_QUEUE, { connection });
    try {
      await queue.addBulk(
        [...good.slice(0, 2), poison, ...good.slice(2)].map((trace) => ({
          name: TRACE_EXPORT_JOB,
          data: { experimentName: experiment, trace },
          opts: { jobId: trace.traceId, attempts: 5, backoff: { type: 'export' } },
        })),
      );
      worker = WorkerProcess.start(workerEnv(redisUrl, 'arkgate-unused'));

      const experimentIds = [await experimentIdOf(experiment)];
      await reader.waitForTraces({ experimentIds, filter: sessionFilter(session) }, 5, 60_000);
      const failed = await eventually(async () => {
        const job = await Job.fromId(queue, poison.traceId);
        return (await job?.isFailed()) ? job : undefined;
      });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/already exists in another experiment/);
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 5, failed: 1 });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
