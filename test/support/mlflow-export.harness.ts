import { randomUUID } from 'node:crypto';
import { MlflowClient } from '../../src/tracing/mlflow/mlflow.client';
import { MlflowExperimentResolver } from '../../src/tracing/mlflow/mlflow-experiment.resolver';
import { MlflowTraceExporter } from '../../src/tracing/mlflow/mlflow-trace.exporter';
import { OtlpTraceEncoder } from '../../src/tracing/mlflow/otlp-trace.encoder';
import { MlflowReader, type ReadSpan } from './mlflow-reader';
import { PythonTraceReader } from './python-trace.reader';

/** An exporter on its own fresh experiment, plus the readers to check what reached MLflow. */
export interface MlflowExportHarness {
  experimentName: string;
  client: MlflowClient;
  experiments: MlflowExperimentResolver;
  sut: MlflowTraceExporter;
  reader: MlflowReader;
  python: PythonTraceReader;
}

export function createMlflowExportHarness(trackingUri: string, venv: string): MlflowExportHarness {
  const experimentName = `arkgate-int-${randomUUID()}`;
  const client = new MlflowClient({ trackingUri, timeoutMs: 10_000 });
  const experiments = new MlflowExperimentResolver(client, experimentName);
  const sut = new MlflowTraceExporter(client, experiments, {
    otlp: new OtlpTraceEncoder({ resourceAttributes: { 'service.name': 'arkgate' } }),
  });
  return {
    experimentName,
    client,
    experiments,
    sut,
    reader: new MlflowReader(trackingUri),
    python: new PythonTraceReader(venv, trackingUri),
  };
}

export function sessionFilter(session: string): string {
  return `metadata.\`mlflow.trace.session\` = '${session}'`;
}

export function spanNamed(spans: ReadSpan[], name: string): ReadSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span named ${name} in ${spans.map((s) => s.name).join(', ')}`);
  return span;
}
