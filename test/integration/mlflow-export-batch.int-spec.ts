import { randomUUID } from 'node:crypto';
import { MlflowClient } from '../../src/mlflow/mlflow.client';
import { MlflowExperimentResolver } from '../../src/mlflow/mlflow-experiment.resolver';
import { MlflowTraceExporter } from '../../src/mlflow/mlflow-trace.exporter';
import { recordingFetch } from '../support/fake-fetch';
import { buildChatTrace, CHAT_USAGE } from '../support/chat-trace.builder';
import { sessionFilter } from '../support/mlflow-export.harness';
import { MlflowReader } from '../support/mlflow-reader';
import { readMlflowTestEnv } from '../support/mlflow-test-env';

jest.setTimeout(120_000);

describe('MlflowTraceExporter batches against a real MLflow server', () => {
  const calls: string[] = [];
  let sut: MlflowTraceExporter;
  let reader: MlflowReader;

  beforeAll(() => {
    const { trackingUri } = readMlflowTestEnv();
    const client = new MlflowClient({ trackingUri, fetch: recordingFetch(calls) });
    sut = new MlflowTraceExporter(client, (name) => new MlflowExperimentResolver(client, name));
    reader = new MlflowReader(trackingUri);
  });

  beforeEach(() => calls.splice(0));

  it('writes 50 traces with one OTLP request and nothing per trace', async () => {
    const experiment = `arkgate-batch-${randomUUID()}`;
    const session = `sess-${randomUUID()}`;
    const traces = Array.from({ length: 50 }, (_, i) =>
      buildChatTrace({ sessionId: session, userId: `user-${i}` }),
    );

    const outcomes = await sut.exportBatch(experiment, traces);

    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(calls.filter((call) => call === 'POST /v1/traces')).toHaveLength(1);
    expect(calls.filter((call) => call === 'POST /api/3.0/mlflow/traces')).toHaveLength(0);
    const id = (await reader.getExperimentByName(experiment))!.experiment_id;
    const found = await reader.waitForTraces(
      { experimentIds: [id], filter: sessionFilter(session) },
      50,
    );
    expect(new Set(found.map((info) => info.trace_id))).toEqual(
      new Set(traces.map((trace) => trace.traceId)),
    );
    const info = await reader.getTraceInfo(traces[7].traceId);
    expect(info).toMatchObject({
      state: 'OK',
      request_preview: 'What is the weather in Jakarta?',
      tags: { 'mlflow.traceName': 'POST /v1/chat/completions' },
      trace_metadata: { 'mlflow.trace.user': 'user-7', 'mlflow.trace.session': session },
    });
    expect(JSON.parse(info!.trace_metadata['mlflow.trace.tokenUsage'])).toEqual(CHAT_USAGE);
  });

  it('fails only the trace MLflow refuses, with its reason, and stores the rest', async () => {
    const elsewhere = `arkgate-batch-other-${randomUUID()}`;
    const experiment = `arkgate-batch-${randomUUID()}`;
    const poison = buildChatTrace();
    expect((await sut.exportBatch(elsewhere, [poison]))[0].ok).toBe(true);
    const good = [buildChatTrace(), buildChatTrace(), buildChatTrace()];

    const outcomes = await sut.exportBatch(experiment, [good[0], poison, good[1], good[2]]);

    const failed = outcomes.filter((outcome) => !outcome.ok);
    expect(failed.map((outcome) => outcome.traceId)).toEqual([poison.traceId]);
    expect(failed[0]).toMatchObject({
      error: {
        retryable: false,
        status: 400,
        message: expect.stringMatching(/already exists in another experiment/),
      },
    });
    const id = (await reader.getExperimentByName(experiment))!.experiment_id;
    for (const trace of good) {
      const info = await reader.getTraceInfo(trace.traceId);
      expect(info?.trace_location.mlflow_experiment.experiment_id).toBe(id);
      expect(info?.state).toBe('OK');
    }
    const poisonInfo = await reader.getTraceInfo(poison.traceId);
    expect(poisonInfo?.trace_location.mlflow_experiment.experiment_id).not.toBe(id);
  });
});
