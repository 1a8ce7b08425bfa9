import {
  attributeMap,
  decodeExportTraceRequest,
  type DecodedSpan,
} from '../../test/support/otlp-protobuf.decoder';
import type { FinishedTrace, SpanRecord } from '../tracing/trace.model';
import { OtlpTraceEncoder } from './otlp-trace.encoder';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT_ID = '00f067aa0ba902b7';
const CHILD_ID = 'b7ad6b7169203331';

function span(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: TRACE_ID,
    spanId: ROOT_ID,
    name: 'POST /v1/chat/completions',
    startTimeUnixNano: '1763633730123456789',
    endTimeUnixNano: '1763633731655000001',
    status: { code: 'OK' },
    attributes: {},
    events: [],
    ...overrides,
  };
}

function trace(spans: SpanRecord[]): FinishedTrace {
  return {
    traceId: `tr-${TRACE_ID}`,
    remoteParent: false,
    requestTime: 1763633730123,
    executionDurationMs: 1532,
    state: 'OK',
    metadata: {},
    tags: {},
    spans,
  };
}

function decodeSpans(sut: OtlpTraceEncoder, spans: SpanRecord[]): DecodedSpan[] {
  return decodeExportTraceRequest(sut.encode(trace(spans))).resourceSpans[0].scopeSpans[0].spans;
}

describe(OtlpTraceEncoder.name, () => {
  it('puts all spans under one resource and scope', () => {
    const sut = new OtlpTraceEncoder({
      resourceAttributes: { 'service.name': 'arkgate' },
      scopeName: 'arkgate-tracing',
      scopeVersion: '1.2.3',
    });

    const decoded = decodeExportTraceRequest(
      sut.encode(trace([span(), span({ spanId: CHILD_ID, parentSpanId: ROOT_ID })])),
    );

    expect(decoded.resourceSpans).toHaveLength(1);
    expect(decoded.resourceSpans[0].resource).toEqual([
      { key: 'service.name', value: { stringValue: 'arkgate' } },
    ]);
    expect(decoded.resourceSpans[0].scopeSpans).toHaveLength(1);
    expect(decoded.resourceSpans[0].scopeSpans[0].scope).toEqual({
      name: 'arkgate-tracing',
      version: '1.2.3',
    });
    expect(decoded.resourceSpans[0].scopeSpans[0].spans.map((s) => s.spanId)).toEqual([
      ROOT_ID,
      CHILD_ID,
    ]);
  });

  it('writes ids as raw bytes, exact nanosecond times, kind INTERNAL and the status', () => {
    const sut = new OtlpTraceEncoder();

    const [root, child] = decodeSpans(sut, [
      span(),
      span({
        spanId: CHILD_ID,
        parentSpanId: ROOT_ID,
        status: { code: 'ERROR', message: 'RateLimitError: 429' },
      }),
    ]);

    expect(root).toMatchObject({
      traceId: TRACE_ID,
      spanId: ROOT_ID,
      parentSpanId: '',
      name: 'POST /v1/chat/completions',
      kind: 1,
      startTimeUnixNano: 1763633730123456789n,
      endTimeUnixNano: 1763633731655000001n,
      status: { code: 1, message: '' },
    });
    expect(child.parentSpanId).toBe(ROOT_ID);
    expect(child.status).toEqual({ code: 2, message: 'RateLimitError: 429' });
  });

  it('flags a parent that is not in the trace as remote', () => {
    const sut = new OtlpTraceEncoder();
    const remoteParent = '1111111111111111';

    const [root, child] = decodeSpans(sut, [
      span({ parentSpanId: remoteParent }),
      span({ spanId: CHILD_ID, parentSpanId: ROOT_ID }),
    ]);

    const hasIsRemote = 0x100;
    const isRemote = 0x200;
    expect(root.parentSpanId).toBe(remoteParent);
    expect(root.flags & (hasIsRemote | isRemote)).toBe(hasIsRemote | isRemote);
    expect(child.flags & (hasIsRemote | isRemote)).toBe(hasIsRemote);
  });

  it('keeps attribute values typed the way the Python client sends them', () => {
    const sut = new OtlpTraceEncoder();

    const [decoded] = decodeSpans(sut, [
      span({
        attributes: {
          'mlflow.spanType': 'CHAIN',
          'mlflow.message.format': 'openai',
          'mlflow.spanInputs': { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
          'mlflow.chat.tokenUsage': { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
          temperature: 0.2,
          max_tokens: 512,
          stream: false,
          stop: ['\n'],
          empty: {},
          outputs: null,
          skipped: undefined,
        },
      }),
    ]);

    const attributes = attributeMap(decoded.attributes);
    expect(Object.keys(attributes)).not.toContain('skipped');
    expect(attributes['mlflow.spanType']).toEqual({ stringValue: 'CHAIN' });
    expect(attributes['mlflow.message.format']).toEqual({ stringValue: 'openai' });
    expect(attributes.temperature).toEqual({ doubleValue: 0.2 });
    expect(attributes.max_tokens).toEqual({ intValue: 512n });
    expect(attributes.stream).toEqual({ boolValue: false });
    expect(attributes.stop).toEqual({ arrayValue: [{ stringValue: '\n' }] });
    expect(attributes.empty).toEqual({ kvlistValue: [] });
    expect(attributes.outputs).toEqual({ unset: true });
    expect(attributes['mlflow.chat.tokenUsage']).toEqual({
      kvlistValue: [
        { key: 'input_tokens', value: { intValue: 3n } },
        { key: 'output_tokens', value: { intValue: 4n } },
        { key: 'total_tokens', value: { intValue: 7n } },
      ],
    });
    expect(attributes['mlflow.spanInputs']).toEqual({
      kvlistValue: [
        { key: 'model', value: { stringValue: 'm' } },
        {
          key: 'messages',
          value: {
            arrayValue: [
              {
                kvlistValue: [
                  { key: 'role', value: { stringValue: 'user' } },
                  { key: 'content', value: { stringValue: 'hi' } },
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it('cuts a session id to the 250 chars MLflow accepts, like the trace metadata', () => {
    const sut = new OtlpTraceEncoder();

    const [decoded] = decodeSpans(sut, [
      span({ attributes: { 'session.id': 's'.repeat(300), 'user.id': 'u'.repeat(300) } }),
    ]);

    const attributes = attributeMap(decoded.attributes);
    expect(attributes['session.id']).toEqual({ stringValue: `${'s'.repeat(247)}...` });
    expect(attributes['user.id']).toEqual({ stringValue: 'u'.repeat(300) });
  });

  it('writes events with their time and plain attributes', () => {
    const sut = new OtlpTraceEncoder();

    const [decoded] = decodeSpans(sut, [
      span({
        events: [
          {
            name: 'exception',
            timeUnixNano: '1763633731599000007',
            attributes: { 'exception.type': 'RateLimitError', 'exception.escaped': false },
          },
        ],
      }),
    ]);

    expect(decoded.events).toEqual([
      {
        name: 'exception',
        timeUnixNano: 1763633731599000007n,
        attributes: [
          { key: 'exception.type', value: { stringValue: 'RateLimitError' } },
          { key: 'exception.escaped', value: { boolValue: false } },
        ],
      },
    ]);
  });

  it('rejects ids that are not lowercase hex of the right length', () => {
    const sut = new OtlpTraceEncoder();

    expect(() => sut.encode(trace([span({ spanId: 'xyz' })]))).toThrow(TypeError);
    expect(() => sut.encode(trace([span({ traceId: TRACE_ID.toUpperCase() })]))).toThrow(
      /invalid traceId/,
    );
  });
});
