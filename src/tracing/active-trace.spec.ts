import { ActiveTrace, ActiveTraceOptions } from './active-trace';
import { parseRedactionRules } from './redaction-rules.parser';
import { FinishedTrace } from './trace.model';
import { TraceRedactor } from './trace-redactor';
import { TraceSanitizer } from './trace-sanitizer';

function setup(overrides: Partial<ActiveTraceOptions> = {}) {
  const finished: FinishedTrace[] = [];
  const sut = new ActiveTrace('POST /v1/chat', {
    remoteParent: null,
    captureContent: true,
    metadata: { 'mlflow.trace.session': 's-1' },
    graceMs: 20,
    onFinish: (trace) => finished.push(trace),
    ...overrides,
  });
  return { sut, finished };
}

describe(ActiveTrace.name, () => {
  it('hands over one trace with MLflow ids, previews, name and aggregated usage', () => {
    const { sut, finished } = setup();
    sut.root.setInputs({ messages: [{ role: 'user', content: 'Hi there' }] });
    const llm = sut.startSpan('Completions', 'CHAT_MODEL', sut.root.spanId);
    llm.setAttribute('mlflow.chat.tokenUsage', {
      input_tokens: 3,
      output_tokens: 5,
      total_tokens: 8,
    });
    llm.end();
    sut.root.setOutputs({ choices: [{ message: { role: 'assistant', content: 'Hello!' } }] });
    sut.root.end();
    sut.root.end();

    expect(finished).toHaveLength(1);
    const [trace] = finished;
    expect(trace.traceId).toMatch(/^tr-[0-9a-f]{32}$/);
    expect(trace.traceId).toBe(`tr-${sut.otelTraceId}`);
    expect(trace.state).toBe('OK');
    expect(trace.requestPreview).toBe('Hi there');
    expect(trace.responsePreview).toBe('Hello!');
    expect(trace.tags['mlflow.traceName']).toBe('POST /v1/chat');
    expect(JSON.parse(trace.metadata['mlflow.trace.tokenUsage'])).toEqual({
      input_tokens: 3,
      output_tokens: 5,
      total_tokens: 8,
    });
    expect(trace.spans.map((span) => span.name).sort()).toEqual(['Completions', 'POST /v1/chat']);
    const child = trace.spans.find((span) => span.name === 'Completions')!;
    expect(child.parentSpanId).toBe(sut.root.spanId);
    expect(child.attributes['mlflow.spanType']).toBe('CHAT_MODEL');
    expect(child.attributes['mlflow.traceRequestId']).toBe(trace.traceId);
  });

  it("sets each span's log level as MLflow's SDKs do, so the UI's verbosity filter shows them alike", () => {
    const { sut, finished } = setup();
    sut.startSpan('Completions', 'CHAT_MODEL', sut.root.spanId).end();
    sut.startSpan('prompt:support', 'PARSER', sut.root.spanId).end();
    sut
      .startSpan('Embeddings', 'EMBEDDING', sut.root.spanId)
      .recordException(new TypeError('x'))
      .end();
    sut.root.end();

    const levels = Object.fromEntries(
      finished[0].spans.map((span) => [span.name, span.attributes['mlflow.spanLogLevel']]),
    );
    expect(levels).toEqual({
      'POST /v1/chat': 10,
      Completions: 20,
      'prompt:support': 10,
      Embeddings: 40,
    });
  });

  it('waits for a child still open when the root ends', () => {
    const { sut, finished } = setup();
    const llm = sut.startSpan('Completions', 'CHAT_MODEL', sut.root.spanId);
    sut.root.end();
    expect(finished).toHaveLength(0);
    llm.end();
    expect(finished).toHaveLength(1);
  });

  it('closes children left open after the grace period as errors', async () => {
    const { sut, finished } = setup();
    sut.startSpan('Completions', 'CHAT_MODEL', sut.root.spanId);
    sut.root.end();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(finished).toHaveLength(1);
    const child = finished[0].spans.find((span) => span.name === 'Completions')!;
    expect(child.status.code).toBe('ERROR');
  });

  it('records an exception event and ERROR state', () => {
    const { sut, finished } = setup();
    sut.root.recordException(new TypeError('boom')).end();
    const [trace] = finished;
    expect(trace.state).toBe('ERROR');
    const [root] = trace.spans;
    expect(root.status).toEqual({ code: 'ERROR', message: 'TypeError: boom' });
    expect(root.events[0].name).toBe('exception');
    expect(root.events[0].attributes).toMatchObject({
      'exception.type': 'TypeError',
      'exception.message': 'boom',
    });
  });

  it('continues a remote parent: same trace id, root parented to the caller span', () => {
    const remote = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    };
    const { sut, finished } = setup({ remoteParent: remote });
    sut.root.end();
    expect(finished[0].traceId).toBe('tr-4bf92f3577b34da6a3ce929d0e0e4736');
    expect(finished[0].remoteParent).toBe(true);
    expect(finished[0].spans[0].parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('records no inputs or outputs when content capture is off', () => {
    const { sut, finished } = setup({ captureContent: false });
    sut.root.setInputs({ messages: [{ role: 'user', content: 'secret' }] }).setOutputs('answer');
    sut.root.end();
    expect(finished[0].spans[0].attributes).not.toHaveProperty('mlflow.spanInputs');
    expect(finished[0].spans[0].attributes).not.toHaveProperty('mlflow.spanOutputs');
    expect(JSON.stringify(finished[0])).not.toContain('secret');
  });

  it('without redaction rules, replaces only oversized attributes and keeps the rest as it is', () => {
    const sanitizer = new TraceSanitizer(new TraceRedactor(parseRedactionRules('')), 2_048);
    const { sut, finished } = setup({ sanitizer });
    const inputs = { messages: [{ role: 'user', content: 'I am ann@example.com' }] };
    const child = sut.startSpan('Completions', 'CHAT_MODEL', sut.root.spanId);
    child.setInputs(inputs).setAttribute('big', { text: 'x'.repeat(4_096) });
    child.end();
    sut.root.setInputs(inputs).recordException(new Error('bad ann@example.com'));
    sut.root.end();

    const [trace] = finished;
    const [llm, root] = trace.spans;
    expect(llm.attributes.big).toMatchObject({ 'arkgate.truncated': true, original_bytes: 4_107 });
    expect(llm.attributes['mlflow.spanInputs']).toBe(inputs);
    expect(root.attributes['mlflow.spanInputs']).toBe(inputs);
    expect(root.events[0].attributes['exception.message']).toBe('bad ann@example.com');
    expect(trace.requestPreview).toBe('I am ann@example.com');
  });

  it('redacts and truncates the trace it hands over, previews included', () => {
    const sanitizer = new TraceSanitizer(
      new TraceRedactor(parseRedactionRules('email,password')),
      2_048,
    );
    const { sut, finished } = setup({ sanitizer });
    sut.root.setInputs({
      messages: [{ role: 'user', content: 'I am ann@example.com' }],
      password: 'p',
    });
    sut.root.setAttribute('big', 'x'.repeat(4_096));
    sut.root.recordException(new Error('bad ann@example.com'));
    sut.root.setOutputs({ content: 'Hello ann@example.com' });
    sut.root.end();

    const [trace] = finished;
    expect(JSON.stringify(trace)).not.toContain('ann@example.com');
    expect(trace.requestPreview).toBe('I am [REDACTED:email]');
    expect(trace.responsePreview).toBe('Hello [REDACTED:email]');
    const [root] = trace.spans;
    expect(root.attributes['mlflow.spanInputs']).toEqual({
      messages: [{ role: 'user', content: 'I am [REDACTED:email]' }],
      password: '[REDACTED]',
    });
    expect(root.attributes.big).toMatchObject({ 'arkgate.truncated': true, original_bytes: 4_096 });
    expect(sut.root.getInputs()).toMatchObject({ password: 'p' });
  });

  it('hands over a copy of the events: an event added after the end does not reach the trace', () => {
    const { sut, finished } = setup({});
    sut.root.end();
    sut.root.recordException(new Error('late'));

    expect(finished[0].spans[0].events).toEqual([]);
  });
});
