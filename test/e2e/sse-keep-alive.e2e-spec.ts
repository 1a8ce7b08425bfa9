import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse, SseMessage } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';

/** One answer token, sent well after SSE_KEEPALIVE_MS of silence. */
const QUIET = { token_delay_ms: 2500, tokens: 1 };

const comments = (messages: SseMessage[]) =>
  messages.filter((message) => message.comment !== undefined).map((message) => message.comment);

describe('SSE keep-alive comments on a quiet stream (SSE_KEEPALIVE_MS=1000)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL, SSE_KEEPALIVE_MS: '1000' } });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  it('sends `: keep-alive` on the OpenAI stream while ModelArk is silent, then the rest', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: { messages: userSays('hi'), stream: true, simulator: QUIET },
    });

    const messages = await stream.readAll();

    expect(comments(messages)).toContain('keep-alive');
    const keepAlive = messages.findIndex((message) => message.comment === 'keep-alive');
    const firstChunk = messages.findIndex((message) => message.data.startsWith('{'));
    const answer = messages.findIndex((message) => message.data.includes('"Simulated"'));
    expect(firstChunk).toBeLessThan(keepAlive);
    expect(keepAlive).toBeLessThan(answer);
    expect(messages.at(-1)).toEqual({ data: '[DONE]' });
    expect(sut.simulator.requests[0].completed).toBe(true);
  });

  it('sends `: keep-alive` on the app stream too, and still ends with `done`', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream`, {
      body: { input: 'hi', simulator: QUIET },
    });

    const messages = await stream.readAll();

    expect(comments(messages)).toContain('keep-alive');
    const keepAlive = messages.findIndex((message) => message.comment === 'keep-alive');
    const delta = messages.findIndex((message) => message.event === 'delta');
    expect(keepAlive).toBeLessThan(delta);
    expect(dataOf(messages.find((message) => message.event === 'delta')!)).toEqual({
      content: 'Simulated',
    });
    expect(messages.at(-1)?.event).toBe('done');
  });
});
