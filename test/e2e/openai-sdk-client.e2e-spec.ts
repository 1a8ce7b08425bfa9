import OpenAI from 'openai';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import {
  MODEL,
  WEATHER_ARGUMENTS,
  WEATHER_QUESTION,
  WEATHER_TOOL,
  REASONING_MODEL,
} from './chat.fixtures';

const QUESTION = 'What is the capital of France?';
const ANSWER = `Simulated reply to: ${QUESTION}`;
const messages = [{ role: 'user' as const, content: QUESTION }];
const tools = [WEATHER_TOOL] as unknown as OpenAI.Chat.ChatCompletionTool[];

/** Adds the simulator's per-request control, a body field arkgate forwards like any other. */
function withSimulator<T extends ChatCompletionCreateParams>(params: T, control: object): T {
  return { ...params, simulator: control };
}

describe('The official openai npm client pointed at arkgate', () => {
  let gateway: ArkgateHarness;
  let sut: OpenAI;

  beforeAll(async () => {
    gateway = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
    sut = new OpenAI({
      apiKey: 'caller-key-arkgate-does-not-forward',
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
  });

  afterAll(() => gateway.close());

  beforeEach(() => gateway.simulator.reset());

  it('creates a chat completion', async () => {
    const { data: completion, response } = await sut.chat.completions
      .create({ model: MODEL, messages })
      .withResponse();

    expect(response.status).toBe(200);
    expect(completion.id).toBe(gateway.simulator.requests[0].id);
    expect(completion.choices[0].message.content).toBe(ANSWER);
    expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 9 });
    // arkgate calls ModelArk with its own key, never the caller's.
    expect(gateway.simulator.requests[0].headers.authorization).not.toContain('caller-key');
  });

  it('streams a chat completion with for await, usage last when asked for', async () => {
    const stream = await sut.chat.completions.create({
      model: MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });

    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(ANSWER);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 9 });
  });

  it('joins a stream with the SDK stream helper', async () => {
    const runner = sut.chat.completions.stream({ model: REASONING_MODEL, messages });

    const completion = await runner.finalChatCompletion();

    expect(completion.choices[0].message.content).toBe(ANSWER);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(gateway.simulator.requests[0].body).toMatchObject({ model: REASONING_MODEL });
  });

  it('gets tool calls, without and with streaming', async () => {
    const request = {
      model: MODEL,
      messages: [{ role: 'user' as const, content: WEATHER_QUESTION }],
      tools,
    };

    const completion = await sut.chat.completions.create(request);
    const streamed = await sut.chat.completions.stream(request).finalChatCompletion();

    for (const answer of [completion, streamed]) {
      const [call] = answer.choices[0].message.tool_calls ?? [];
      expect(answer.choices[0].finish_reason).toBe('tool_calls');
      expect(call.type).toBe('function');
      if (call.type !== 'function') continue;
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual(WEATHER_ARGUMENTS);
    }
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of sut.models.list()) ids.push(model.id);

    expect(ids).toEqual(expect.arrayContaining([MODEL, REASONING_MODEL]));
  });

  describe('errors, raised as the SDK error class for the status', () => {
    it('a validation failure is a BadRequestError naming the param', async () => {
      const call = sut.chat.completions.create({ model: MODEL, messages: [] });

      await expect(call).rejects.toBeInstanceOf(OpenAI.BadRequestError);
      await expect(call).rejects.toMatchObject({
        status: 400,
        code: 'invalid_request',
        param: 'messages',
        type: 'invalid_request_error',
        message: '400 messages should not be empty',
      });
      expect(gateway.simulator.requests).toEqual([]);
    });

    it('a ModelArk 429 is a RateLimitError with retry-after', async () => {
      const call = sut.chat.completions.create(
        withSimulator({ model: MODEL, messages }, { scenario: 'error-429', retry_after: 5 }),
      );

      const error = await call.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe(
        '5',
      );
      expect(error).toMatchObject({ status: 429, code: 'RateLimitExceeded.EndpointRPMExceeded' });
    });

    it('an unknown ModelArk model is a NotFoundError', async () => {
      const call = sut.chat.completions.create(
        withSimulator({ model: 'ep-missing', messages }, { scenario: 'error-404' }),
      );

      await expect(call).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(call).rejects.toMatchObject({ param: 'model' });
    });

    it('a ModelArk 500 is an InternalServerError (502)', async () => {
      const call = sut.chat.completions.create(
        withSimulator({ model: MODEL, messages }, { scenario: 'error-500' }),
      );

      await expect(call).rejects.toBeInstanceOf(OpenAI.InternalServerError);
      await expect(call).rejects.toMatchObject({ status: 502, code: 'upstream_unavailable' });
    });

    it('a stream that breaks midway throws an APIError from the iterator', async () => {
      const stream = await sut.chat.completions.create(
        withSimulator(
          { model: MODEL, messages, stream: true as const },
          { scenario: 'cut-stream' },
        ),
      );
      const received: string[] = [];

      const error = await (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error).toMatchObject({
        code: 'upstream_bad_response',
        type: 'server_error',
        message: expect.stringMatching(/^BytePlus ModelArk sent a broken answer: /),
      });
      const text = received.join('');
      expect(text).not.toBe('');
      expect(text).not.toBe(ANSWER);
      expect(ANSWER.startsWith(text)).toBe(true);
    });
  });
});
