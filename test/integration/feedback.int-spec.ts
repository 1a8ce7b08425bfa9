import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const MODEL = 'seed-1-6-250615';
// Long enough for a trace to reach MLflow on a loaded CI machine (4 s was not always).
const TRACE_WAIT_SECONDS = 10;
const FEEDBACK_QUEUE = 'arkgate-feedback';
const EXPORT_QUEUE = 'arkgate-trace-export';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Assessment {
  assessment_id: string;
  assessment_name: string;
  span_id?: string;
  source: { source_type: string; source_id: string };
  feedback?: { value: unknown };
  rationale?: string;
  metadata?: Record<string, string>;
}

interface PythonAssessment {
  name: string;
  value: unknown;
  rationale: string | null;
  source_type: string;
  source_id: string;
  metadata: Record<string, string> | null;
  span_id: string | null;
}

const READ_ASSESSMENTS = `
import json, sys, mlflow
mlflow.set_tracking_uri(sys.argv[1])
trace = mlflow.get_trace(sys.argv[2])
print(json.dumps([{
    "name": a.name, "value": a.value, "rationale": a.rationale,
    "source_type": a.source.source_type, "source_id": a.source.source_id,
    "metadata": a.metadata, "span_id": a.span_id,
} for a in trace.info.assessments]))
`;

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

const unknownTraceId = () => `tr-${randomBytes(16).toString('hex')}`;

describe('Feedback becomes an MLflow assessment', () => {
  let sut: TracedArkgate;
  let redis: Redis;
  let queue: Queue;
  let exportQueue: Queue;

  beforeAll(async () => {
    sut = await startTracedArkgate({
      experimentName: 'arkgate-feedback',
      redisDb: 13,
      env: { FEEDBACK_TRACE_WAIT_SECONDS: String(TRACE_WAIT_SECONDS) },
    });
    redis = new Redis(sut.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(FEEDBACK_QUEUE, { connection: redis });
    exportQueue = new Queue(EXPORT_QUEUE, { connection: redis });
  });

  afterAll(async () => {
    await exportQueue?.close();
    await queue?.close();
    redis?.disconnect();
    await sut?.close();
  });

  /** A traced chat; resolves to its trace id and root span id once MLflow has the trace. */
  async function tracedChat(): Promise<{ traceId: string; rootSpanId: string }> {
    const answer = await post(`${sut.url}/v1/chat`, { model: MODEL, input: 'Was this helpful?' });
    expect(answer.status).toBe(200);
    const traceId = answer.body.traceId as string;
    const rootSpanId = answer.headers.get('traceparent')!.split('-')[2];
    await eventually(() => sut.reader.getTraceInfo(traceId));
    return { traceId, rootSpanId };
  }

  /** A trace id the export queue holds but whose export has not run (a long-delayed job). */
  async function queuedTraceId(): Promise<string> {
    const traceId = unknownTraceId();
    await exportQueue.add('export-trace', {}, { jobId: traceId, delay: 3_600_000 });
    return traceId;
  }

  /** Writes a trace straight to MLflow, as an export that ran late (or another producer) would. */
  async function storeInMlflow(traceId: string): Promise<void> {
    const response = await fetch(`${readMlflowTestEnv().trackingUri}/api/3.0/mlflow/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        trace: {
          trace_info: {
            trace_id: traceId,
            trace_location: {
              type: 'MLFLOW_EXPERIMENT',
              mlflow_experiment: { experiment_id: await sut.experimentId() },
            },
            request_time: new Date().toISOString(),
            execution_duration: '0.100s',
            state: 'OK',
            trace_metadata: {},
            tags: {},
          },
        },
      }),
    });
    expect(response.status).toBe(200);
  }

  async function assessmentsOf(traceId: string): Promise<Assessment[]> {
    const info = (await sut.reader.getTraceInfo(traceId)) as { assessments?: Assessment[] };
    return info?.assessments ?? [];
  }

  async function finished(jobId: string): Promise<Job> {
    return eventually(async () => {
      const job = await queue.getJob(jobId);
      const state = await job?.getState();
      return state === 'completed' || state === 'failed' ? job : undefined;
    }, 30_000);
  }

  async function readWithPython(traceId: string): Promise<PythonAssessment[]> {
    const { venv, trackingUri } = readMlflowTestEnv();
    const { stdout } = await promisify(execFile)(
      join(venv, 'bin', 'python'),
      ['-c', READ_ASSESSMENTS, trackingUri, traceId],
      { timeout: 60_000, env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true' } },
    );
    return JSON.parse(stdout.trim().split('\n').pop()!) as PythonAssessment[];
  }

  it('records feedback submitted twice with one idempotency key once, with value, rationale and source', async () => {
    const { traceId } = await tracedChat();
    const feedback = { value: true, rationale: 'Solved my problem', userId: 'user-42' };

    const first = await post(`${sut.url}/v1/traces/${traceId}/feedback`, feedback, {
      'idempotency-key': 'fb-once',
    });
    const retried = await post(`${sut.url}/v1/traces/${traceId}/feedback`, {
      ...feedback,
      idempotencyKey: 'fb-once',
    });

    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      status: 'queued',
      traceId,
      name: 'user_feedback',
      idempotencyKey: 'fb-once',
    });
    expect(first.headers.get('x-mlflow-trace-id')).toBeNull();
    expect(retried.status).toBe(202);
    expect(retried.body.jobId).toBe(first.body.jobId);
    expect((await finished(first.body.jobId)).returnvalue).toMatchObject({ duplicate: false });

    const assessments = await assessmentsOf(traceId);
    expect(assessments).toHaveLength(1);
    expect(assessments[0]).toMatchObject({
      assessment_name: 'user_feedback',
      source: { source_type: 'HUMAN', source_id: 'user-42' },
      feedback: { value: true },
      rationale: 'Solved my problem',
      metadata: { idempotency_key: 'fb-once' },
    });
    expect(await readWithPython(traceId)).toEqual([
      {
        name: 'user_feedback',
        value: true,
        rationale: 'Solved my problem',
        source_type: 'HUMAN',
        source_id: 'user-42',
        metadata: { idempotency_key: 'fb-once' },
        span_id: null,
      },
    ]);
  });

  it('checks the trace before writing, so a resubmission lands once even after its job is gone', async () => {
    const { traceId, rootSpanId } = await tracedChat();
    const feedback = { name: 'helpfulness', value: 4, spanId: rootSpanId };
    const headers = { 'idempotency-key': 'fb-retry', 'x-user-id': 'user-7' };

    const first = await post(`${sut.url}/v1/traces/${traceId}/feedback`, feedback, headers);
    expect((await finished(first.body.jobId)).returnvalue).toMatchObject({ duplicate: false });
    await queue.remove(first.body.jobId);

    const again = await post(`${sut.url}/v1/traces/${traceId}/feedback`, feedback, headers);
    expect(again.status).toBe(202);
    const job = await finished(again.body.jobId);
    expect(job.returnvalue).toMatchObject({ duplicate: true });

    const assessments = await assessmentsOf(traceId);
    expect(assessments).toHaveLength(1);
    expect(assessments[0]).toMatchObject({
      assessment_name: 'helpfulness',
      span_id: rootSpanId,
      source: { source_type: 'HUMAN', source_id: 'user-7' },
      feedback: { value: 4 },
    });
  });

  it('accepts feedback sent the moment the answer arrives, before the trace is exported', async () => {
    const answer = await post(`${sut.url}/v1/chat`, { model: MODEL, input: 'Quick thumbs up' });
    const traceId = answer.body.traceId as string;

    const accepted = await post(`${sut.url}/v1/traces/${traceId}/feedback`, { value: true });

    expect(accepted.status).toBe(202);
    const job = await finished(accepted.body.jobId);
    // The failed reason is in the object, should the job ever fail.
    expect({ returnvalue: job.returnvalue, failedReason: job.failedReason }).toMatchObject({
      returnvalue: { duplicate: false },
    });
    expect(await assessmentsOf(traceId)).toEqual([
      expect.objectContaining({ assessment_name: 'user_feedback', feedback: { value: true } }),
    ]);
  });

  it('accepts feedback sent to another replica while the serving one still holds the trace in its hand-off', async () => {
    // Both replicas share the queue and wait a second before handing traces to Redis; the
    // suite's arkgate runs the worker.
    const replicaEnv = {
      REDIS_URL: sut.redisUrl,
      WORKER_ENABLED: 'false',
      EXPORT_HANDOFF_WAIT_MS: '1000',
      FEEDBACK_TRACE_WAIT_SECONDS: String(TRACE_WAIT_SECONDS),
    };
    const replica = (env: Record<string, string> = {}) =>
      startTracedArkgate({
        experimentName: sut.experimentName,
        redisDb: 0,
        env: { ...replicaEnv, ...env },
      });
    const [serving, receiving] = await Promise.all([replica(), replica()]);
    try {
      const answer = await post(`${serving.url}/v1/chat`, { model: MODEL, input: 'Thumbs up' });
      const traceId = answer.body.traceId as string;
      const started = performance.now();
      const accepted = await post(`${receiving.url}/v1/traces/${traceId}/feedback`, {
        value: true,
      });

      expect(accepted.status).toBe(202);
      // The receiving replica found it only once the serving one's hand-off wait was over.
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
      const job = await finished(accepted.body.jobId);
      expect({ returnvalue: job.returnvalue, failedReason: job.failedReason }).toMatchObject({
        returnvalue: { duplicate: false },
      });
      expect(await assessmentsOf(traceId)).toEqual([
        expect.objectContaining({ assessment_name: 'user_feedback', feedback: { value: true } }),
      ]);
    } finally {
      await Promise.all([serving.close(), receiving.close()]);
    }
  });

  it('refuses feedback on a trace id that neither the queue nor MLflow knows with a 404', async () => {
    const traceId = unknownTraceId();
    const before = await queue.getJobCounts();

    const refused = await post(`${sut.url}/v1/traces/${traceId}/feedback`, { value: false });

    expect(refused.status).toBe(404);
    expect(refused.body.error).toEqual({
      message: `Trace ${traceId} is unknown: arkgate is not exporting it and MLflow does not have it`,
      type: 'not_found_error',
      param: 'traceId',
      code: 'trace_not_found',
    });
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('accepts feedback on a trace only MLflow has (written by another producer)', async () => {
    const traceId = unknownTraceId();
    await storeInMlflow(traceId);

    const accepted = await post(`${sut.url}/v1/traces/${traceId}/feedback`, { value: 5 });

    expect(accepted.status).toBe(202);
    await finished(accepted.body.jobId);
    expect(await assessmentsOf(traceId)).toEqual([
      expect.objectContaining({ feedback: { value: 5 } }),
    ]);
  });

  it('waits for a queued trace that reaches MLflow after the feedback', async () => {
    const traceId = await queuedTraceId();
    const accepted = await post(`${sut.url}/v1/traces/${traceId}/feedback`, { value: 'great' });
    expect(accepted.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // The trace lands late, as when its export was delayed.
    await storeInMlflow(traceId);

    const job = await finished(accepted.body.jobId);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBeGreaterThan(1);
    expect(await assessmentsOf(traceId)).toEqual([
      expect.objectContaining({
        assessment_name: 'user_feedback',
        feedback: { value: 'great' },
        source: { source_type: 'HUMAN', source_id: 'anonymous' },
      }),
    ]);
  });

  it('reports a queued trace that never reaches MLflow in the failed job, not as a crash', async () => {
    const traceId = await queuedTraceId();
    const accepted = await post(`${sut.url}/v1/traces/${traceId}/feedback`, { value: false });
    expect(accepted.status).toBe(202);

    const job = await finished(accepted.body.jobId);
    expect(await job.getState()).toBe('failed');
    // The attempts and the time are shown with the reason, should it ever be another one.
    expect({
      reason: job.failedReason,
      attempts: job.attemptsMade,
      ms: (job.finishedOn ?? 0) - job.timestamp,
    }).toMatchObject({
      reason: expect.stringContaining(`Trace ${traceId} was not found in MLflow after waiting`),
    });
    expect(job.failedReason).toContain('the trace id is unknown, or its export failed');

    const health = await fetch(`${sut.url}/health/live`);
    expect(health.status).toBe(200);
  });
});
