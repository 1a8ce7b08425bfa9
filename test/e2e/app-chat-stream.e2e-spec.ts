import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse, SseMessage, SseResponse } from '../support/sse.client';
import {
  MODEL,
  REASONING_MODEL,
  simulatorAnswer,
  userSays,
  WEATHER_ARGUMENTS,
  WEATHER_QUESTION,
  WEATHER_TOOL,
} from './chat.fixtures';
import { Json } from './json.client';

const INPUT = 'Write a haiku about the sea.';
const ANSWER = `Simulated reply to: ${INPUT}`;
const REASONING = `Thinking about: ${INPUT} | the simulator will echo it back.`;

/** The named events of an app stream up to its terminal one, comments left out; then its end. */
async function eventsOf(stream: SseResponse): Promise<SseMessage[]> {
  const messages = await stream.readUntilTerminal();
  expect(await stream.readAll()).toEqual([]);
  return messages.filter((message) => message.comment === undefined);
}

const deltas = (events: SseMessage[]) =>
  events.filter((event) => event.event === 'delta').map((event) => dataOf<Json>(event));

const joined = (events: SseMessage[], field: 'content' | 'reasoning') =>
  deltas(events)
    .map((delta) => delta[field] ?? '')
    .join('');

describe('/v1/chat/stream (app-level SSE: delta, done, error)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  const streamUrl = (query = '') => `${sut.url}/v1/chat/stream${query}`;

  describe('POST, for fetch() streaming', () => {
    it('sends `delta` events with the text, then `done` with ModelArk usage', async () => {
      const reference = await simulatorAnswer(sut.simulator, {
        model: MODEL,
        messages: userSays(INPUT),
      });
      sut.simulator.reset();

      const stream = await openSse(streamUrl(), { body: { input: INPUT, model: MODEL } });
      const events = await eventsOf(stream);

      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(events.map((event) => event.event)).toEqual([
        ...Array<string>(events.length - 1).fill('delta'),
        'done',
      ]);
      expect(deltas(events).every((delta) => Object.keys(delta).join() === 'content')).toBe(true);
      expect(joined(events, 'content')).toBe(ANSWER);
      expect(dataOf(events.at(-1)!)).toEqual({
        id: sut.simulator.requests[0].id,
        model: MODEL,
        finishReason: 'stop',
        usage: {
          promptTokens: reference.usage.prompt_tokens,
          completionTokens: reference.usage.completion_tokens,
          totalTokens: reference.usage.total_tokens,
          reasoningTokens: 0,
        },
      });
      expect(sut.simulator.requests[0].body).toEqual({
        model: MODEL,
        messages: userSays(INPUT),
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('sends reasoning deltas as `reasoning` before the text, for a reasoning model', async () => {
      const stream = await openSse(streamUrl(), { body: { input: INPUT, model: REASONING_MODEL } });
      const events = await eventsOf(stream);

      const kinds = deltas(events).map((delta) => Object.keys(delta).join());
      expect(kinds.indexOf('content')).toBeGreaterThan(kinds.lastIndexOf('reasoning'));
      expect(joined(events, 'reasoning')).toBe(REASONING);
      expect(joined(events, 'content')).toBe(ANSWER);
      expect(dataOf<Json>(events.at(-1)!)).toMatchObject({
        model: REASONING_MODEL,
        reasoning: REASONING,
        usage: { reasoningTokens: 15, completionTokens: 15 + 9 },
      });
    });

    it('sends reasoning deltas when `thinking: {type: "enabled"}` is asked', async () => {
      const stream = await openSse(streamUrl(), {
        body: { input: INPUT, thinking: { type: 'enabled' } },
      });
      const events = await eventsOf(stream);

      expect(joined(events, 'reasoning')).toBe(REASONING);
      expect(sut.simulator.requests[0].body).toMatchObject({ thinking: { type: 'enabled' } });
    });

    it('sends tool call deltas as `toolCalls`, and the joined calls in `done`', async () => {
      const stream = await openSse(streamUrl(), {
        body: { input: WEATHER_QUESTION, tools: [WEATHER_TOOL] },
      });
      const events = await eventsOf(stream);

      const pieces = deltas(events).flatMap((delta) => delta.toolCalls ?? []);
      const argumentsText = pieces.map((piece: Json) => piece.function.arguments ?? '').join('');
      expect(JSON.parse(argumentsText)).toEqual(WEATHER_ARGUMENTS);
      const done = dataOf<Json>(events.at(-1)!);
      expect(events.at(-1)!.event).toBe('done');
      expect(done).toMatchObject({
        finishReason: 'tool_calls',
        toolCalls: [{ id: pieces[0].id, name: 'get_weather', arguments: argumentsText }],
      });
    });

    it('answers an upstream error before the stream started with its status, as JSON', async () => {
      const stream = await openSse(streamUrl(), {
        body: { input: INPUT, simulator: { scenario: 'error-429', retry_after: 3 } },
      });

      expect(stream.status).toBe(429);
      expect(stream.headers['content-type']).toMatch(/^application\/json/);
      expect(stream.headers['retry-after']).toBe('3');
      expect((await stream.json<Json>()).error).toMatchObject({ type: 'rate_limit_error' });
    });
  });

  describe('GET, for EventSource', () => {
    it('streams the answer to `input` with the given model', async () => {
      const stream = await openSse(streamUrl(`?input=${encodeURIComponent(INPUT)}&model=${MODEL}`));
      const events = await eventsOf(stream);

      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(joined(events, 'content')).toBe(ANSWER);
      expect(events.at(-1)!.event).toBe('done');
      expect(dataOf<Json>(events.at(-1)!)).toMatchObject({
        id: sut.simulator.requests[0].id,
        model: MODEL,
        finishReason: 'stop',
      });
      expect(sut.simulator.requests[0].body).toEqual({
        model: MODEL,
        messages: userSays(INPUT),
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('turns thinking=enabled into ModelArk thinking and sends reasoning deltas', async () => {
      const stream = await openSse(
        streamUrl(`?input=${encodeURIComponent(INPUT)}&thinking=enabled`),
      );
      const events = await eventsOf(stream);

      expect(joined(events, 'reasoning')).toBe(REASONING);
      expect(sut.simulator.requests[0].body).toMatchObject({ thinking: { type: 'enabled' } });
    });

    it('forwards numeric query parameters as numbers', async () => {
      const stream = await openSse(streamUrl('?input=hi&temperature=0.5&max_tokens=2'));
      const events = await eventsOf(stream);

      expect(joined(events, 'content')).toBe('Simulated reply');
      expect(dataOf<Json>(events.at(-1)!).finishReason).toBe('length');
      expect(sut.simulator.requests[0].body).toMatchObject({ temperature: 0.5, max_tokens: 2 });
    });
  });
});
