import { randomBytes } from 'node:crypto';
import { MlflowClient } from '../../src/mlflow/mlflow.client';
import { MlflowExperimentResolver } from '../../src/mlflow/mlflow-experiment.resolver';
import { MlflowExportError } from '../../src/mlflow/mlflow-export.error';
import { MlflowTraceExporter } from '../../src/mlflow/mlflow-trace.exporter';
import { buildChatTrace, CHAT_USAGE } from '../support/chat-trace.builder';
import { spanNamed as byName } from '../support/mlflow-export.harness';
import { MlflowReader } from '../support/mlflow-reader';
import { MlflowServer } from '../support/mlflow-server';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { PythonTraceReader } from '../support/python-trace.reader';

jest.setTimeout(120_000);

describe('MlflowTraceExporter against a FileStore server (no OTLP: traces.json artifact)', () => {
  let server: MlflowServer;
  let sut: MlflowTraceExporter;
  let reader: MlflowReader;
  let python: PythonTraceReader;

  beforeAll(async () => {
    const env = readMlflowTestEnv();
    server = await MlflowServer.create({ venv: env.venv, backend: 'file' });
    await server.start();
    const client = new MlflowClient({ trackingUri: server.trackingUri });
    const experiments = new MlflowExperimentResolver(client, 'arkgate-file');
    sut = new MlflowTraceExporter(client, () => experiments);
    reader = new MlflowReader(server.trackingUri);
    python = new PythonTraceReader(env.venv, server.trackingUri);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('falls back to the artifact, idempotently, and the SDK reads the same spans', async () => {
    const trace = buildChatTrace({
      sessionId: 's-file',
      linkedPrompts: [{ name: 'support-agent', version: '1' }],
    });

    const first = await sut.export('arkgate-file', trace);
    const second = await sut.export('arkgate-file', trace);

    const info = await reader.getTraceInfo(trace.traceId);
    const spans = await reader.getTraceSpans(trace.traceId);
    const read = await python.read(trace.traceId);
    const llm = read.spans.find((span) => span.name === 'Completions');
    expect(first).toMatchObject({ spansLocation: 'ARTIFACT_REPO', linkedPromptCount: 0 });
    expect(second).toEqual(first);
    expect(info).toMatchObject({
      state: 'OK',
      trace_metadata: { 'mlflow.trace.session': 's-file' },
    });
    expect(info?.tags['mlflow.linkedPrompts']).toBe('[{"name":"support-agent","version":"1"}]');
    expect(spans).toHaveLength(2);
    expect(byName(spans, 'Completions').startTimeUnixNano).toBe(trace.spans[1].startTimeUnixNano);
    expect(llm).toMatchObject({
      span_type: 'CHAT_MODEL',
      inputs_type: 'dict',
      outputs_type: 'dict',
    });
    expect(llm?.attributes['mlflow.chat.tokenUsage']).toEqual(CHAT_USAGE);
    expect(llm?.attributes['mlflow.message.format']).toBe('openai');
    expect(llm?.start_time_ns).toBe(trace.spans[1].startTimeUnixNano);
  });

  it('refuses a remote-parent trace permanently: the artifact path cannot merge services', async () => {
    const trace = buildChatTrace({ remoteParentSpanId: randomBytes(8).toString('hex') });

    const failure = await sut.export('arkgate-file', trace).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MlflowExportError);
    expect(failure).toMatchObject({ retryable: false });
  });
});
