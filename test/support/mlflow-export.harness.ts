import { randomUUID } from 'node:crypto';
import { MlflowClient } from '../../src/mlflow/mlflow.client';
import { MlflowExperimentResolver } from '../../src/mlflow/mlflow-experiment.resolver';
import {
  MlflowTraceExporter,
  type MlflowExportOutcome,
  type MlflowExportResult,
  type MlflowTraceExporterOptions,
} from '../../src/mlflow/mlflow-trace.exporter';
import type { FinishedTrace } from '../../src/tracing/trace.model';
import { OtlpTraceEncoder } from '../../src/mlflow/otlp-trace.encoder';
import { MlflowReader, type ReadSpan } from './mlflow-reader';
import { PythonTraceReader } from './python-trace.reader';

/** An exporter on its own fresh experiment, plus the readers to check what reached MLflow. */
export interface MlflowExportHarness {
  experimentName: string;
  client: MlflowClient;
  experiments: MlflowExperimentResolver;
  /** The exporter, bound to this harness's experiment. */
  sut: {
    export(trace: FinishedTrace): Promise<MlflowExportResult>;
    exportBatch(traces: FinishedTrace[]): Promise<MlflowExportOutcome[]>;
  };
  reader: MlflowReader;
  python: PythonTraceReader;
}

export type HarnessOptions = MlflowTraceExporterOptions & { experimentRecheckMs?: number };

export function createMlflowExportHarness(
  trackingUri: string,
  venv: string,
  { experimentRecheckMs, ...options }: HarnessOptions = {},
): MlflowExportHarness {
  const experimentName = `arkgate-int-${randomUUID()}`;
  const client = new MlflowClient({ trackingUri, timeoutMs: 10_000 });
  const experiments = new MlflowExperimentResolver(
    client,
    experimentName,
    undefined,
    experimentRecheckMs,
  );
  const exporter = new MlflowTraceExporter(client, () => experiments, {
    otlp: new OtlpTraceEncoder({ resourceAttributes: { 'service.name': 'arkgate' } }),
    ...options,
  });
  const sut = {
    export: (trace: FinishedTrace) => exporter.export(experimentName, trace),
    exportBatch: (traces: FinishedTrace[]) => exporter.exportBatch(experimentName, traces),
  };
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
