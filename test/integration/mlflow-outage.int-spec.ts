import { MlflowRequestError } from '../../src/mlflow/mlflow-request.error';
import { buildChatTrace } from '../support/chat-trace.builder';
import {
  createMlflowExportHarness,
  type MlflowExportHarness,
} from '../support/mlflow-export.harness';
import { readMlflowTestEnv, sharedMlflowServer } from '../support/mlflow-test-env';

jest.setTimeout(120_000);

// Stops and restarts the shared server: run the integration project in band (npm run
// test:integration does), or specs in other workers see MLflow vanish mid-test.
describe('MlflowTraceExporter when MLflow changes under it', () => {
  let harness: MlflowExportHarness;
  let experimentId: string;

  beforeAll(async () => {
    const env = readMlflowTestEnv();
    // Looks the experiment up before every export: OTLP alone would not notice the delete.
    harness = createMlflowExportHarness(env.trackingUri, env.venv, { experimentRecheckMs: 0 });
    experimentId = await harness.experiments.resolve();
  });

  it('restores its experiment when it was deleted behind its back', async () => {
    await harness.client.post('/api/2.0/mlflow/experiments/delete', {
      experiment_id: experimentId,
    });
    const trace = buildChatTrace();

    const result = await harness.sut.export(trace);

    expect(result.experimentId).toBe(experimentId);
    expect(
      (await harness.reader.getExperimentByName(harness.experimentName))?.lifecycle_stage,
    ).toBe('active');
    expect((await harness.reader.getTraceInfo(trace.traceId))?.state).toBe('OK');
  });

  it('fails retryably while MLflow is down and exports once it is back on the same store', async () => {
    const server = sharedMlflowServer();
    const before = buildChatTrace();
    await harness.sut.export(before);
    const trace = buildChatTrace();

    await server.stop();
    let failure: unknown;
    try {
      await harness.sut.export(trace);
    } catch (error) {
      failure = error;
    } finally {
      await server.start();
    }

    expect(failure).toBeInstanceOf(MlflowRequestError);
    expect(failure).toMatchObject({ retryable: true, errorCode: 'NETWORK_ERROR' });
    await harness.sut.export(trace);
    expect((await harness.reader.getTraceInfo(trace.traceId))?.state).toBe('OK');
    expect((await harness.reader.getTraceInfo(before.traceId))?.state).toBe('OK');
  });
});
