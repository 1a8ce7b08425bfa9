import { randomBytes } from 'node:crypto';
import {
  MlflowContentType,
  MlflowHeader,
  MlflowPath,
} from '../../src/tracing/mlflow/mlflow.constants';
import { OtlpTraceEncoder } from '../../src/tracing/mlflow/otlp-trace.encoder';
import { TraceInfoMapper } from '../../src/tracing/mlflow/trace-info.mapper';
import type { FinishedTrace } from '../../src/tracing/trace.model';
import type { ExportResult } from '../report/results.model';

interface EncodedTrace {
  otlp: Uint8Array;
  traceInfo: string;
}

/** The same trace under a fresh id, so MLflow stores it as new (ids appear in spans and attributes). */
function rekey(trace: FinishedTrace): FinishedTrace {
  const oldHex = trace.traceId.replace(/^tr-/, '');
  const newHex = randomBytes(16).toString('hex');
  return JSON.parse(JSON.stringify(trace).replaceAll(oldHex, newHex)) as FinishedTrace;
}

/**
 * MLflow's ceiling: the calls one exported trace costs (OTLP spans, then StartTraceV3), encoded
 * ahead of time with arkgate's own encoders and sent from a plain loop at the worker's concurrency.
 */
export async function measureMlflowCeiling(
  trackingUri: string,
  experimentId: string,
  samples: FinishedTrace[],
  traces: number,
  concurrency: number,
): Promise<ExportResult['ceiling']> {
  const otlp = new OtlpTraceEncoder({ resourceAttributes: { 'service.name': 'arkgate' } });
  const info = new TraceInfoMapper();
  const encoded: EncodedTrace[] = Array.from({ length: traces }, (_, index) => {
    const trace = rekey(samples[index % samples.length]);
    return {
      otlp: otlp.encode(trace),
      traceInfo: JSON.stringify(info.toStartTraceBody(trace, experimentId)),
    };
  });
  let next = 0;
  let errors = 0;
  const send = async (path: string, body: Uint8Array | string, headers: Record<string, string>) => {
    const response = await fetch(trackingUri + path, {
      method: 'POST',
      headers: { accept: MlflowContentType.json, ...headers },
      body: body as string,
    });
    await response.text();
    if (!response.ok) errors += 1;
  };
  const loop = async () => {
    while (next < encoded.length) {
      const trace = encoded[next];
      next += 1;
      await send(MlflowPath.otlpTraces, trace.otlp, {
        'content-type': MlflowContentType.protobuf,
        [MlflowHeader.experimentId]: experimentId,
      });
      await send(MlflowPath.startTrace, trace.traceInfo, {
        'content-type': MlflowContentType.json,
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  return { traces, concurrency, seconds, tracesPerSecond: traces / seconds, errors };
}
