import type { FinishedTrace } from '../tracing/trace.model';
import { TraceArtifactEncoder } from './trace-artifact.encoder';

const OTEL_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT_ID = '00f067aa0ba902b7';
const CHILD_ID = 'b7ad6b7169203331';

const finished: FinishedTrace = {
  traceId: `tr-${OTEL_ID}`,
  remoteParent: false,
  requestTime: 1763633730123,
  executionDurationMs: 1532,
  state: 'ERROR',
  metadata: {},
  tags: {},
  spans: [
    {
      traceId: OTEL_ID,
      spanId: ROOT_ID,
      name: 'POST /chat',
      startTimeUnixNano: '1763633730123456789',
      endTimeUnixNano: '1763633731655000001',
      status: { code: 'OK' },
      attributes: { 'mlflow.spanType': 'CHAIN', 'mlflow.spanInputs': { question: 'What?' }, n: 3 },
      events: [],
    },
    {
      traceId: OTEL_ID,
      spanId: CHILD_ID,
      parentSpanId: ROOT_ID,
      name: 'Completions',
      startTimeUnixNano: '1763633730200000000',
      endTimeUnixNano: '1763633731600000000',
      status: { code: 'ERROR', message: 'RateLimitError: 429' },
      attributes: { 'mlflow.spanType': 'CHAT_MODEL' },
      events: [
        {
          name: 'exception',
          timeUnixNano: '1763633731599000007',
          attributes: { 'exception.type': 'RateLimitError' },
        },
      ],
    },
  ],
};

describe(TraceArtifactEncoder.name, () => {
  const sut = new TraceArtifactEncoder();

  it('writes nanosecond timestamps as exact integer digits', () => {
    const text = sut.encode(finished);

    expect(text).toContain('"start_time_unix_nano":1763633730123456789');
    expect(text).toContain('"end_time_unix_nano":1763633731655000001');
    expect(text).toContain('"time_unix_nano":1763633731599000007');
  });

  it('mirrors Python Span.to_dict: base64 ids, JSON-encoded attributes, status names', () => {
    const { spans } = JSON.parse(sut.encode(finished)) as { spans: Record<string, unknown>[] };

    expect(spans[0]).toMatchObject({
      trace_id: Buffer.from(OTEL_ID, 'hex').toString('base64'),
      span_id: Buffer.from(ROOT_ID, 'hex').toString('base64'),
      parent_span_id: null,
      name: 'POST /chat',
      kind: 'SPAN_KIND_INTERNAL',
      status: { code: 'STATUS_CODE_OK', message: '' },
      attributes: {
        'mlflow.spanType': '"CHAIN"',
        'mlflow.spanInputs': '{"question":"What?"}',
        n: '3',
        'mlflow.traceRequestId': `"tr-${OTEL_ID}"`,
      },
      events: [],
      links: [],
    });
    expect(spans[1]).toMatchObject({
      parent_span_id: Buffer.from(ROOT_ID, 'hex').toString('base64'),
      status: { code: 'STATUS_CODE_ERROR', message: 'RateLimitError: 429' },
      events: [{ name: 'exception', attributes: { 'exception.type': 'RateLimitError' } }],
    });
  });

  it('rejects a timestamp that is not decimal digits', () => {
    const broken = { ...finished, spans: [{ ...finished.spans[0], startTimeUnixNano: '1e18' }] };

    expect(() => sut.encode(broken)).toThrow(TypeError);
  });
});
