import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { GatewayError } from '../common/errors/gateway.error';
import { ActiveTrace } from '../tracing/active-trace';
import type { SpanRecord } from '../tracing/trace.model';
import { streamIdleTimeoutError } from './stream-idle.error';
import { tracedResponsesStream } from './traced-responses-stream';

const response = (status: string, usage: object | null = null) => ({
  id: 'resp_1',
  object: 'response',
  status,
  output: [],
  usage,
});
const usage = { input_tokens: 3, output_tokens: 4, total_tokens: 7 };

const EVENTS = [
  { type: 'response.created', sequence_number: 0, response: response('in_progress') },
  { type: 'response.output_text.delta', sequence_number: 1, delta: 'Hi' },
  { type: 'response.output_text.delta', sequence_number: 2, delta: '!' },
  { type: 'response.completed', sequence_number: 3, response: response('completed', usage) },
] as unknown as ResponseStreamEvent[];

async function* upstream(events: ResponseStreamEvent[], failure?: Error) {
  for (const event of events) yield event;
  if (failure) throw failure;
}

function setup() {
  const spans: SpanRecord[] = [];
  const trace = new ActiveTrace('POST /v1/responses', {
    remoteParent: null,
    captureContent: true,
    metadata: {},
    graceMs: 20,
    onFinish: (finished) => spans.push(...finished.spans),
  });
  const span = trace.startSpan('Responses', 'CHAT_MODEL', trace.root.spanId);
  const recorded = () => {
    trace.root.end();
    return spans.find((candidate) => candidate.name === 'Responses')!;
  };
  return { span, recorded };
}

describe(tracedResponsesStream.name, () => {
  it('passes every event on and records the completed response, usage and first token', async () => {
    const { span, recorded } = setup();
    const relayed: ResponseStreamEvent[] = [];

    for await (const event of tracedResponsesStream(upstream(EVENTS), span)) relayed.push(event);

    const record = recorded();
    expect(relayed).toEqual(EVENTS);
    expect(record.status).toEqual({ code: 'OK' });
    expect(record.attributes['mlflow.spanOutputs']).toEqual(response('completed', usage));
    expect(record.attributes['mlflow.chat.tokenUsage']).toEqual(usage);
    expect(record.events.map((event) => event.name)).toEqual(['first_token']);
  });

  it('records an abandoned stream and ends the span when the caller stops early', async () => {
    const { span, recorded } = setup();

    for await (const event of tracedResponsesStream(upstream(EVENTS), span)) {
      if (event.type === 'response.output_text.delta') break;
    }

    const record = recorded();
    expect(record.status.code).toBe('ERROR');
    expect(record.events.map((event) => event.name)).toEqual(['first_token', 'stream_aborted']);
    expect(record.attributes['mlflow.spanOutputs']).toEqual({
      ...response('in_progress'),
      output: [],
    });
  });

  it('fails a stream that ends without its terminal event as a broken answer', async () => {
    const { span, recorded } = setup();
    const consume = async () => {
      for await (const _event of tracedResponsesStream(upstream(EVENTS.slice(0, 2)), span));
    };

    const failure = await consume().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).code).toBe('upstream_bad_response');
    expect(recorded().events.map((event) => event.name)).toEqual(['first_token', 'exception']);
  });

  it('turns an unnamed error event into an upstream failure', async () => {
    const { span, recorded } = setup();
    const error = { type: 'error', code: 'server_error', message: 'boom', param: null };
    const consume = async () => {
      const events = [EVENTS[0], error as unknown as ResponseStreamEvent];
      for await (const _event of tracedResponsesStream(upstream(events), span));
    };

    const failure = await consume().catch((caught: unknown) => caught);

    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).status).toBe(502);
    expect(recorded().status.code).toBe('ERROR');
  });

  it('marks the span ERROR when the response failed', async () => {
    const { span, recorded } = setup();
    const failed = {
      type: 'response.failed',
      sequence_number: 1,
      response: { ...response('failed'), error: { code: 'server_error', message: 'boom' } },
    } as unknown as ResponseStreamEvent;

    for await (const _event of tracedResponsesStream(upstream([EVENTS[0], failed]), span));

    expect(recorded().status).toEqual({ code: 'ERROR', message: 'ResponseFailed: boom' });
  });

  it('records the reason it was aborted for (STREAM_IDLE_TIMEOUT_MS) as the span error', async () => {
    const { span, recorded } = setup();
    const abort = jest.fn();
    const stream = tracedResponsesStream(upstream(EVENTS), span, undefined, { abort });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();

    stream.abort(streamIdleTimeoutError(10));
    await iterator.return?.();

    expect(abort).toHaveBeenCalledWith(expect.objectContaining({ code: 'upstream_timeout' }));
    const record = recorded();
    expect(record.status.code).toBe('ERROR');
    expect(record.status.message).toMatch(/^GatewayError: .*STREAM_IDLE_TIMEOUT_MS/);
    expect(record.events.map((event) => event.name)).toEqual(['exception']);
    expect(record.attributes['mlflow.spanOutputs']).toEqual(response('in_progress'));
  });

  it('hands on the Response so far as its aggregate', async () => {
    const { span } = setup();
    const stream = tracedResponsesStream(upstream(EVENTS), span);

    expect(stream.aggregate).toBeUndefined();
    for await (const _event of stream);

    expect(stream.aggregate).toEqual(response('completed', usage));
  });
});
