import { FakeFetch } from '../../test/support/fake-fetch';
import { decodeExportTraceRequest } from '../../test/support/otlp-protobuf.decoder';
import type { FinishedTrace } from '../tracing/trace.model';
import { MlflowClient } from './mlflow.client';
import { MlflowSpanWriter } from './mlflow-span.writer';
import { OtlpTraceEncoder } from './otlp-trace.encoder';

const OTLP = '/v1/traces';

function trace(n: number): FinishedTrace {
  const otelId = n.toString(16).padStart(32, '0');
  return {
    traceId: `tr-${otelId}`,
    remoteParent: false,
    requestTime: 0,
    executionDurationMs: 1,
    state: 'OK',
    metadata: {},
    tags: {},
    spans: [
      {
        traceId: otelId,
        spanId: n.toString(16).padStart(16, '0'),
        name: 'root',
        startTimeUnixNano: '1000000',
        endTimeUnixNano: '2000000',
        status: { code: 'OK' },
        attributes: {},
        events: [],
      },
    ],
  };
}

function traceIdsIn(body: Uint8Array): string[] {
  return decodeExportTraceRequest(body).resourceSpans.flatMap((resource) =>
    resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => `tr-${span.traceId}`)),
  );
}

function setup(reply: (ids: string[]) => { status: number; json?: unknown; text?: string }) {
  const server = new FakeFetch().on('POST', OTLP, (request) =>
    reply(traceIdsIn(request.body as Uint8Array)),
  );
  const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
  const sut = new MlflowSpanWriter(client, new OtlpTraceEncoder(), 1024 * 1024);
  return { sut, server };
}

const POISON = trace(3).traceId;
const rejectPoison = (ids: string[]) =>
  ids.includes(POISON)
    ? { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad trace' } }
    : { status: 200, text: '' };

describe(MlflowSpanWriter.name, () => {
  it('sends every trace of the batch in one request', async () => {
    const { sut, server } = setup(() => ({ status: 200, text: '' }));
    const traces = [1, 2, 3, 4].map(trace);

    const result = await sut.write('7', traces);

    expect(result).toEqual({ otlp: true, failures: new Map() });
    expect(server.requests).toHaveLength(1);
    expect(traceIdsIn(server.requests[0].body as Uint8Array)).toEqual(traces.map((t) => t.traceId));
  });

  it('splits a rejected batch until only the trace MLflow refuses fails', async () => {
    const { sut, server } = setup(rejectPoison);
    const traces = [1, 2, 3, 4, 5].map(trace);

    const result = await sut.write('7', traces);

    expect([...result.failures.keys()]).toEqual([POISON]);
    expect(result.failures.get(POISON)).toMatchObject({ status: 400, retryable: false });
    const stored = server.requests
      .filter((_, i) => !traceIdsIn(server.requests[i].body as Uint8Array).includes(POISON))
      .flatMap((request) => traceIdsIn(request.body as Uint8Array));
    expect(stored.sort()).toEqual(traces.map((t) => t.traceId).filter((id) => id !== POISON));
  });

  it('fails the whole batch as it is when MLflow is only busy or unreachable', async () => {
    const { sut, server } = setup(() => ({
      status: 503,
      json: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' },
    }));

    await expect(sut.write('7', [1, 2, 3].map(trace))).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it('splits a body larger than the request limit before sending it', async () => {
    const server = new FakeFetch().on('POST', OTLP, { text: '' });
    const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
    const sut = new MlflowSpanWriter(client, new OtlpTraceEncoder(), 200);

    await sut.write('7', [1, 2, 3, 4].map(trace));

    expect(server.requests.length).toBeGreaterThan(1);
    expect(server.requests.every((r) => (r.body as Uint8Array).byteLength <= 200)).toBe(true);
  });

  it('reports a server without OTLP (501) so the caller falls back to artifacts', async () => {
    const { sut } = setup(() => ({ status: 501, json: { detail: 'not supported by FileStore' } }));

    expect(await sut.write('7', [trace(1)])).toEqual({ otlp: false, failures: new Map() });
  });

  it('fails the batch as it is when both halves fail alike (MLflow struggling, not one trace)', async () => {
    const { sut, server } = setup(() => ({
      status: 500,
      json: { error_code: 'INTERNAL_ERROR', message: 'database is gone' },
    }));

    await expect(sut.write('7', [1, 2, 3, 4, 5, 6, 7, 8].map(trace))).rejects.toMatchObject({
      status: 500,
    });
    expect(server.requests.length).toBeLessThanOrEqual(7);
  });

  it('isolates the trace behind an unspecific 422, as MLflow 3.18 answers a failed store write', async () => {
    const { sut } = setup((ids) =>
      ids.includes(POISON)
        ? { status: 422, json: { detail: 'Failed to log OpenTelemetry spans' } }
        : { status: 200, text: '' },
    );

    const result = await sut.write('7', [1, 2, 3, 4].map(trace));

    expect([...result.failures.keys()]).toEqual([POISON]);
  });
});
