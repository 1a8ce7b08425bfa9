import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { MODEL, userSays } from './chat.fixtures';
import { dataOf, openSse, SseMessage } from '../support/sse.client';
import { getJson, Json, postJson } from './json.client';

const invalid = (message: string, param: string) => ({
  error: { message, type: 'invalid_request_error', param, code: 'invalid_request' },
});

const messages = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ role: 'user', content: `m${i}` }));

describe('Request limits (MAX_MESSAGES, MAX_MESSAGE_CHARS, MAX_TOKENS_CEILING)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({
      env: {
        ARK_DEFAULT_MODEL: MODEL,
        MAX_MESSAGES: '3',
        MAX_MESSAGE_CHARS: '10',
        MAX_TOKENS_CEILING: '100',
      },
    });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  it.each([
    [
      '/v1/chat/completions',
      'too many messages',
      { messages: messages(4) },
      invalid('messages has 4 items; at most 3 are allowed', 'messages'),
    ],
    [
      '/v1/chat/completions',
      'a long string message',
      { messages: [...messages(1), ...userSays('x'.repeat(11))] },
      invalid('messages.1.content has 11 characters; at most 10 are allowed', 'messages.1.content'),
    ],
    [
      '/v1/chat/completions',
      'text parts that are long together',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x'.repeat(6) },
              { type: 'text', text: 'y'.repeat(6) },
            ],
          },
        ],
      },
      invalid('messages.0.content has 12 characters; at most 10 are allowed', 'messages.0.content'),
    ],
    [
      '/v1/chat/completions',
      'max_tokens over the ceiling',
      { messages: messages(1), max_tokens: 101 },
      invalid('max_tokens must not be greater than 100', 'max_tokens'),
    ],
    [
      '/v1/chat/completions',
      'max_completion_tokens over the ceiling',
      { messages: messages(1), max_completion_tokens: 101 },
      invalid('max_completion_tokens must not be greater than 100', 'max_completion_tokens'),
    ],
    [
      '/v1/chat',
      'a long input',
      { input: 'x'.repeat(11) },
      invalid('input has 11 characters; at most 10 are allowed', 'input'),
    ],
    [
      '/v1/chat/stream',
      'too many messages',
      { messages: messages(4) },
      invalid('messages has 4 items; at most 3 are allowed', 'messages'),
    ],
    [
      '/v1/responses',
      'max_output_tokens over the ceiling',
      { input: 'hi', max_output_tokens: 101 },
      invalid('max_output_tokens must not be greater than 100', 'max_output_tokens'),
    ],
    [
      '/v1/responses',
      'too many input items',
      { input: messages(4) },
      invalid('input has 4 items; at most 3 are allowed', 'input'),
    ],
  ])('%s rejects %s', async (path, _case, request, expected) => {
    const { status, body } = await postJson(`${sut.url}${path}`, request);

    expect(status).toBe(400);
    expect(body).toEqual(expected);
    expect(sut.simulator.requests).toEqual([]);
  });

  it('GET /v1/chat/stream rejects a long input', async () => {
    const { status, body } = await getJson(`${sut.url}/v1/chat/stream?input=${'x'.repeat(11)}`);

    expect(status).toBe(400);
    expect(body).toEqual(invalid('input has 11 characters; at most 10 are allowed', 'input'));
  });

  it('accepts a request at the limits', async () => {
    const { status } = await postJson(`${sut.url}/v1/chat/completions`, {
      messages: [...messages(2), ...userSays('x'.repeat(10))],
      max_tokens: 100,
    });

    expect(status).toBe(200);
  });
});

describe('Stream idle timeout (STREAM_IDLE_TIMEOUT_MS)', () => {
  let sut: ArkgateHarness;
  const quiet = { token_delay_ms: 30_000 };
  const withoutComments = (events: SseMessage[]) => events.filter((event) => event.data !== '');

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL, STREAM_IDLE_TIMEOUT_MS: '300' } });
  });

  afterAll(() => sut.close());

  it('ends an OpenAI stream with an upstream_timeout error chunk', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: { messages: userSays('hi'), stream: true, simulator: quiet },
    });
    const events = withoutComments(await stream.readAll());

    expect(stream.status).toBe(200);
    expect(dataOf<Json>(events.at(-1)!).error).toMatchObject({
      code: 'upstream_timeout',
      type: 'timeout_error',
    });
  });

  it('ends an app stream with an error event', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream`, {
      body: { input: 'hi', simulator: quiet },
    });
    const events = withoutComments(await stream.readAll());

    expect(events.at(-1)!.event).toBe('error');
    expect(dataOf<Json>(events.at(-1)!)).toMatchObject({
      status: 504,
      error: { code: 'upstream_timeout' },
    });
  });

  it('ends a Responses stream with an error event', async () => {
    const stream = await openSse(`${sut.url}/v1/responses`, {
      body: { input: 'hi', stream: true, simulator: quiet },
    });
    const events = withoutComments(await stream.readAll());

    expect(events.at(-1)!.event).toBe('error');
    expect(JSON.stringify(dataOf<Json>(events.at(-1)!))).toContain('upstream_timeout');
  });
});
