import { randomUUID } from 'node:crypto';
import { MlflowClient } from '../../src/mlflow/mlflow.client';
import { MlflowExperimentResolver } from '../../src/mlflow/mlflow-experiment.resolver';
import { MlflowTraceExporter } from '../../src/mlflow/mlflow-trace.exporter';
import { recordingFetch } from '../support/fake-fetch';
import { buildChatTrace, CHAT_USAGE } from '../support/chat-trace.builder';
import { sessionFilter, spanNamed as byName } from '../support/mlflow-export.harness';
import { OLDEST_MLFLOW, oldestMlflowVenv } from '../support/mlflow-oldest';
import { MlflowReader } from '../support/mlflow-reader';
import { MlflowServer } from '../support/mlflow-server';

jest.setTimeout(600_000);

// Before 3.14 OTLP ingest does not derive the trace info from the spans: `auto` must notice the
// version and write it with StartTraceV3, batch after batch.
describe(`MlflowTraceExporter against MLflow ${OLDEST_MLFLOW} (the oldest supported)`, () => {
  let server: MlflowServer;
  let sut: MlflowTraceExporter;
  let reader: MlflowReader;
  const calls: string[] = [];

  beforeAll(async () => {
    server = await MlflowServer.create({ venv: oldestMlflowVenv() });
    await server.start();
    const client = new MlflowClient({
      trackingUri: server.trackingUri,
      fetch: recordingFetch(calls),
    });
    sut = new MlflowTraceExporter(client, (name) => new MlflowExperimentResolver(client, name));
    reader = new MlflowReader(server.trackingUri);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('writes a batch of traces whole: spans in one request, trace info per trace', async () => {
    const experiment = `arkgate-oldest-${randomUUID()}`;
    const session = `sess-${randomUUID()}`;
    const traces = Array.from({ length: 20 }, () =>
      buildChatTrace({ sessionId: session, userId: 'user-42' }),
    );
    for (const trace of traces) trace.metadata['arkgate.caller'] = 'backend';

    const outcomes = await sut.exportBatch(experiment, traces);

    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
    expect(outcomes.every((outcome) => outcome.ok && outcome.result.traceInfoWritten)).toBe(true);
    expect(calls.filter((call) => call === 'POST /v1/traces')).toHaveLength(1);
    expect(calls.filter((call) => call === 'POST /api/3.0/mlflow/traces')).toHaveLength(20);
    const id = (await reader.getExperimentByName(experiment))!.experiment_id;
    const found = await reader.waitForTraces(
      { experimentIds: [id], filter: sessionFilter(session) },
      20,
    );
    expect(found).toHaveLength(20);
    const info = await reader.getTraceInfo(traces[3].traceId);
    expect(info).toMatchObject({
      state: 'OK',
      request_preview: 'What is the weather in Jakarta?',
      tags: { 'mlflow.traceName': 'POST /v1/chat/completions' },
      trace_metadata: {
        'mlflow.trace.session': session,
        'mlflow.trace.user': 'user-42',
        'mlflow.trace_schema.version': '3',
        'arkgate.caller': 'backend',
      },
    });
    expect(JSON.parse(info!.trace_metadata['mlflow.trace.tokenUsage'])).toEqual(CHAT_USAGE);
    // This server has no get-trace-artifact route: the spans come from the tracking store.
    const { spans } = await reader.getTraceFromStore(traces[3].traceId);
    expect(byName(spans, 'Completions').attributes['mlflow.chat.tokenUsage']).toEqual(CHAT_USAGE);
  });

  it('records prompt links as the server allows, and never fails the trace for them', async () => {
    const trace = buildChatTrace({ linkedPrompts: [{ name: 'support-agent', version: '3' }] });

    const result = await sut.export(`arkgate-oldest-${randomUUID()}`, trace);

    const info = await reader.getTraceInfo(trace.traceId);
    expect(result.spansLocation).toBe('TRACKING_STORE');
    expect(JSON.parse(info?.tags['mlflow.linkedPrompts'] ?? '[]')).toEqual([
      { name: 'support-agent', version: '3' },
    ]);
  });
});
