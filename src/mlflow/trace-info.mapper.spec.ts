import type { FinishedTrace } from '../tracing/trace.model';
import { TraceInfoMapper } from './trace-info.mapper';

const OTEL_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function trace(overrides: Partial<FinishedTrace> = {}): FinishedTrace {
  return {
    traceId: `tr-${OTEL_ID}`,
    remoteParent: false,
    requestTime: Date.UTC(2026, 10, 20, 10, 15, 30, 123),
    executionDurationMs: 1532,
    state: 'OK',
    metadata: {
      'mlflow.trace.session': 'sess-77',
      'mlflow.trace.user': 'user-42',
      'mlflow.trace.tokenUsage': '{"input_tokens":12,"output_tokens":30,"total_tokens":42}',
    },
    tags: {},
    spans: [
      {
        traceId: OTEL_ID,
        spanId: '00f067aa0ba902b7',
        name: 'POST /v1/chat/completions',
        startTimeUnixNano: '1763633730123000000',
        endTimeUnixNano: '1763633731655000000',
        status: { code: 'OK' },
        attributes: {},
        events: [],
      },
    ],
    ...overrides,
  };
}

describe(TraceInfoMapper.name, () => {
  const sut = new TraceInfoMapper();

  it('builds the StartTraceV3 body', () => {
    const body = sut.toStartTraceBody(
      trace({ requestPreview: 'What is MLflow?', responsePreview: 'A platform.' }),
      '7',
    );

    expect(body).toEqual({
      trace: {
        trace_info: {
          trace_id: `tr-${OTEL_ID}`,
          trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '7' } },
          request_preview: 'What is MLflow?',
          response_preview: 'A platform.',
          request_time: '2026-11-20T10:15:30.123Z',
          execution_duration: '1.532s',
          state: 'OK',
          trace_metadata: {
            'mlflow.trace_schema.version': '3',
            'mlflow.trace.session': 'sess-77',
            'mlflow.trace.user': 'user-42',
            'mlflow.trace.tokenUsage': '{"input_tokens":12,"output_tokens":30,"total_tokens":42}',
          },
          tags: { 'mlflow.traceName': 'POST /v1/chat/completions' },
          assessments: [],
        },
      },
    });
  });

  it.each([
    [1532, '1.532s'],
    [500, '0.500s'],
    [0, '0.000s'],
    [61_000.4, '61.000s'],
    [-3, '0.000s'],
  ])('formats a %d ms duration as %s', (ms, expected) => {
    expect(sut.toTraceInfo(trace({ executionDurationMs: ms }), '1').execution_duration).toBe(
      expected,
    );
  });

  it('leaves unknown previews out so the server derives them from the root span', () => {
    const info = sut.toTraceInfo(trace(), '1');

    expect(info).not.toHaveProperty('request_preview');
    expect(info).not.toHaveProperty('response_preview');
  });

  it('cuts previews at 1000 chars and metadata values at 250, like the Python SDK', () => {
    const info = sut.toTraceInfo(
      trace({
        requestPreview: 'q'.repeat(1500),
        metadata: { 'mlflow.trace.session': 's'.repeat(300) },
      }),
      '1',
    );

    expect(info.request_preview).toHaveLength(1000);
    expect(info.request_preview?.endsWith('q...')).toBe(true);
    expect(info.trace_metadata['mlflow.trace.session']).toHaveLength(250);
  });

  it('keeps an explicit trace name and other tags, cuts long values and drops long keys', () => {
    const info = sut.toTraceInfo(
      trace({
        tags: {
          'mlflow.traceName': 'chat',
          env: 'prod',
          long: 'v'.repeat(5000),
          ['k'.repeat(251)]: 'x',
        },
      }),
      '1',
    );

    expect(info.tags['mlflow.traceName']).toBe('chat');
    expect(info.tags.env).toBe('prod');
    expect(info.tags.long).toHaveLength(4096);
    expect(Object.keys(info.tags)).toHaveLength(3);
  });

  it('tags linked prompts as a JSON list merged with what the tag already holds', () => {
    const info = sut.toTraceInfo(
      trace({
        tags: { 'mlflow.linkedPrompts': '[{"name":"greeting","version":"1"}]' },
        linkedPrompts: [
          { name: 'support-agent', version: '3' },
          { name: 'greeting', version: '1' },
        ],
      }),
      '1',
    );

    expect(JSON.parse(info.tags['mlflow.linkedPrompts'])).toEqual([
      { name: 'greeting', version: '1' },
      { name: 'support-agent', version: '3' },
    ]);
  });

  it('names the trace after the span whose parent is not in the trace', () => {
    const base = trace();
    const callee = { ...base.spans[0], parentSpanId: '1111111111111111', name: 'callee root' };

    const info = sut.toTraceInfo(trace({ spans: [callee] }), '1');

    expect(info.tags['mlflow.traceName']).toBe('callee root');
  });
});
