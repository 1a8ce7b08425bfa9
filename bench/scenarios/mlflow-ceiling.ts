import { randomBytes } from 'node:crypto';
import { MlflowContentType, MlflowHeader, MlflowPath } from '../../src/mlflow/mlflow.constants';
import { OtlpTraceEncoder } from '../../src/mlflow/otlp-trace.encoder';
import { TraceInfoMapper } from '../../src/mlflow/trace-info.mapper';
import type { FinishedTrace } from '../../src/tracing/trace.model';
import type { ExportRate } from '../report/results.model';

/** The same trace under a fresh id, so MLflow stores it as new (ids appear in spans and attributes). */
function rekey(trace: FinishedTrace): FinishedTrace {
  const oldHex = trace.traceId.replace(/^tr-/, '');
  const newHex = randomBytes(16).toString('hex');
  return JSON.parse(JSON.stringify(trace).replaceAll(oldHex, newHex)) as FinishedTrace;
}

/**
 * `traces` copies of the samples as OTLP request bodies of `perRequest` traces each, encoded ahead
 * of time with arkgate's own encoder and trace-tag mapping (the spans arkgate sends on 3.14+).
 */
function encodeRequests(
  samples: FinishedTrace[],
  traces: number,
  perRequest: number,
): Uint8Array[] {
  const otlp = new OtlpTraceEncoder({ resourceAttributes: { 'service.name': 'arkgate' } });
  const mapper = new TraceInfoMapper();
  const bodies: Uint8Array[] = [];
  for (let start = 0; start < traces; start += perRequest) {
    const batch = Array.from({ length: Math.min(perRequest, traces - start) }, (_, i) =>
      mapper.withTraceTagsOnRoot(rekey(samples[(start + i) % samples.length])),
    );
    bodies.push(otlp.encodeMany(batch));
  }
  return bodies;
}

/**
 * What MLflow ingests from a plain loop of OTLP requests of `perRequest` traces each, sent
 * `concurrency` at a time: with 1 per request, the naive exporter; with 100, MLflow's batched
 * ceiling on this machine.
 */
export async function measureOtlpLoop(
  trackingUri: string,
  experimentId: string,
  samples: FinishedTrace[],
  options: { traces: number; perRequest: number; concurrency: number },
): Promise<ExportRate> {
  const bodies = encodeRequests(samples, options.traces, options.perRequest);
  let next = 0;
  let errors = 0;
  const loop = async () => {
    while (next < bodies.length) {
      const body = bodies[next];
      next += 1;
      const response = await fetch(trackingUri + MlflowPath.otlpTraces, {
        method: 'POST',
        headers: {
          accept: MlflowContentType.json,
          'content-type': MlflowContentType.protobuf,
          [MlflowHeader.experimentId]: experimentId,
        },
        body: body as unknown as string,
      });
      await response.text();
      if (!response.ok) errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  return {
    traces: options.traces,
    perRequest: options.perRequest,
    concurrency: options.concurrency,
    seconds,
    tracesPerSecond: options.traces / seconds,
    errors,
  };
}

/** Two measurements as one (a half before the worker's drain and a half after). */
export function combineRates(a: ExportRate, b: ExportRate): ExportRate {
  const seconds = a.seconds + b.seconds;
  const traces = a.traces + b.traces;
  return { ...a, traces, seconds, tracesPerSecond: traces / seconds, errors: a.errors + b.errors };
}
