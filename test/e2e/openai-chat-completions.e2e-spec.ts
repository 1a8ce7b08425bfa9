import { ArkgateHarness, HARNESS_ARK_API_KEY, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse, SseMessage } from '../support/sse.client';
import {
  MODEL,
  simulatorAnswer,
  userSays,
  WEATHER_ARGUMENTS,
  WEATHER_QUESTION,
  WEATHER_TOOL,
} from './chat.fixtures';
import { getJson, Json, postJson } from './json.client';

const QUESTION = 'What is the capital of France?';
const ANSWER = `Simulated reply to: ${QUESTION}`;

/** The unnamed `data:` events of an OpenAI stream, comments left out. */
const dataEvents = (messages: SseMessage[]) =>
  messages.filter((message) => message.comment === undefined);

describe('POST /v1/chat/completions and GET /v1/models (OpenAI wire format)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  const completions = () => `${sut.url}/v1/chat/completions`;

  describe('without streaming', () => {
    it('answers the chat.completion ModelArk sent, with ModelArk usage', async () => {
      const request = { model: MODEL, messages: userSays(QUESTION) };
      const reference = await simulatorAnswer(sut.simulator, request);
      sut.simulator.reset();

      const { status, headers, body } = await postJson(completions(), request);

      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(body).toEqual({
        id: sut.simulator.requests[0].id,
        object: 'chat.completion',
        created: expect.any(Number),
        model: MODEL,
        service_tier: 'default',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: ANSWER },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: reference.usage,
      });
      expect(body.usage).toMatchObject({
        prompt_tokens: 9,
        completion_tokens: 9,
        total_tokens: 18,
      });
      expect(sut.simulator.requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/api/v3/chat/completions',
          headers: expect.objectContaining({ authorization: `Bearer ${HARNESS_ARK_API_KEY}` }),
          body: { ...request, stream: false },
          completed: true,
        }),
      ]);
    });

    it('returns reasoning_content when thinking is enabled', async () => {
      const request = { messages: userSays(QUESTION), thinking: { type: 'enabled' } };

      const { status, body } = await postJson(completions(), request);

      expect(status).toBe(200);
      expect(body.choices[0].message).toEqual({
        role: 'assistant',
        content: ANSWER,
        reasoning_content: `Thinking about: ${QUESTION} | the simulator will echo it back.`,
      });
      expect(body.usage.completion_tokens_details).toEqual({ reasoning_tokens: 15 });
      expect(sut.simulator.requests[0].body).toMatchObject({ thinking: { type: 'enabled' } });
    });

    it('returns tool_calls whose arguments are the JSON the model produced', async () => {
      const request = { messages: userSays(WEATHER_QUESTION), tools: [WEATHER_TOOL] };

      const { status, body } = await postJson(completions(), request);

      expect(status).toBe(200);
      const [choice] = body.choices;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message).toEqual({
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: expect.stringMatching(/^call/),
            type: 'function',
            function: { name: 'get_weather', arguments: expect.any(String) },
          },
        ],
      });
      expect(JSON.parse(choice.message.tool_calls[0].function.arguments)).toEqual(
        WEATHER_ARGUMENTS,
      );
      expect(sut.simulator.requests[0].body).toMatchObject({ tools: [WEATHER_TOOL] });
    });
  });

  describe('with stream: true', () => {
    it('relays chat.completion.chunk events and ends with data: [DONE], without usage', async () => {
      const stream = await openSse(completions(), {
        body: { model: MODEL, messages: userSays(QUESTION), stream: true },
      });

      const events = dataEvents(await stream.readAll());

      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
      expect(events.at(-1)).toEqual({ data: '[DONE]' });
      const chunks = events.slice(0, -1).map((event) => dataOf<Json>(event));
      const upstreamId = sut.simulator.requests[0].id;
      for (const chunk of chunks) {
        expect(chunk).toMatchObject({
          id: upstreamId,
          object: 'chat.completion.chunk',
          created: expect.any(Number),
          model: MODEL,
          choices: [expect.objectContaining({ index: 0, delta: expect.any(Object) })],
        });
        expect(chunk.usage).toBeUndefined();
      }
      expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
      expect(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe(ANSWER);
      expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
      // arkgate always asks ModelArk for usage (for the trace) and drops the usage chunk.
      expect(sut.simulator.requests[0].body).toEqual({
        model: MODEL,
        messages: userSays(QUESTION),
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('sends the usage chunk before [DONE] when the caller asked for include_usage', async () => {
      const request = { model: MODEL, messages: userSays(QUESTION) };
      const reference = await simulatorAnswer(sut.simulator, request);
      sut.simulator.reset();

      const stream = await openSse(completions(), {
        body: { ...request, stream: true, stream_options: { include_usage: true } },
      });
      const events = dataEvents(await stream.readAll());

      expect(events.at(-1)).toEqual({ data: '[DONE]' });
      const usageChunk = dataOf<Json>(events.at(-2)!);
      expect(usageChunk).toMatchObject({ object: 'chat.completion.chunk', choices: [] });
      expect(usageChunk.usage).toEqual(reference.usage);
      const withUsage = events.slice(0, -1).filter((event) => dataOf<Json>(event).usage);
      expect(withUsage).toHaveLength(1);
      expect(sut.simulator.requests[0].body).toMatchObject({
        stream_options: { include_usage: true },
      });
    });

    it('streams tool call deltas that join into valid JSON arguments', async () => {
      const stream = await openSse(completions(), {
        body: { messages: userSays(WEATHER_QUESTION), tools: [WEATHER_TOOL], stream: true },
      });

      const events = dataEvents(await stream.readAll());

      expect(events.at(-1)).toEqual({ data: '[DONE]' });
      const chunks = events.slice(0, -1).map((event) => dataOf<Json>(event));
      const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? []);
      expect(toolDeltas.length).toBeGreaterThan(2);
      expect(toolDeltas[0]).toMatchObject({
        index: 0,
        id: expect.stringMatching(/^call/),
        type: 'function',
        function: { name: 'get_weather' },
      });
      expect(toolDeltas.every((delta: Json) => delta.index === 0)).toBe(true);
      const joined = toolDeltas.map((delta: Json) => delta.function.arguments ?? '').join('');
      expect(JSON.parse(joined)).toEqual(WEATHER_ARGUMENTS);
      expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
    });
  });

  describe('GET /v1/models', () => {
    it('lists the models ModelArk offers, in OpenAI list format', async () => {
      const { status, body } = await getJson(`${sut.url}/v1/models`);

      expect(status).toBe(200);
      expect(body.object).toBe('list');
      expect(body.data).toEqual(
        expect.arrayContaining([
          { id: MODEL, object: 'model', created: expect.any(Number), owned_by: 'byteplus' },
        ]),
      );
      expect(sut.simulator.requests).toEqual([
        expect.objectContaining({ method: 'GET', path: '/api/v3/models', completed: true }),
      ]);
    });
  });
});
