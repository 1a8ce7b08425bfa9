import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ChatCompletionsHandler } from './chat-completions.handler';
import { ModelArkSimulator } from './simulator.server';

const MODEL = 'seed-1-6-250615';
const THINKING_MODEL = 'seed-1-6-thinking-250715';
const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
};
const TIME_TOOL: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
};

type Delta = { content?: string | null; reasoning_content?: string };

describe(ChatCompletionsHandler.name, () => {
  let sut: ModelArkSimulator;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await ModelArkSimulator.start();
    client = new OpenAI({ apiKey: 'test-key', baseURL: sut.url, maxRetries: 0 });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.reset());

  const ask = (text: string) => [{ role: 'user' as const, content: text }];

  async function collect(stream: AsyncIterable<ChatCompletionChunk>) {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return chunks;
  }

  const joined = (chunks: ChatCompletionChunk[], field: 'content' | 'reasoning_content') =>
    chunks.map((chunk) => (chunk.choices[0]?.delta as Delta | undefined)?.[field] ?? '').join('');

  describe('non-streaming', () => {
    it('answers a deterministic echo with exact usage and echoes the model', async () => {
      const completion = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'system', content: 'Be brief.' }, ...ask('Hello there')],
      });

      expect(completion).toMatchObject({
        object: 'chat.completion',
        model: MODEL,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Simulated reply to: Hello there' },
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 5,
          total_tokens: 15,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      });
      expect(completion.id).toMatch(/^021\d{13}[0-9a-f]{24}$/);
      expect(completion.choices[0].message).not.toHaveProperty('reasoning_content');
    });

    it('sends x-request-id equal to the completion id', async () => {
      const { data, response } = await client.chat.completions
        .create({ model: MODEL, messages: ask('hi') })
        .withResponse();

      expect(response.headers.get('x-request-id')).toBe(data.id);
      expect(sut.requests[0].id).toBe(data.id);
    });
  });

  describe('streaming', () => {
    it('streams role, then content pieces, the last with finish_reason, and no usage by default', async () => {
      const chunks = await collect(
        await client.chat.completions.create({
          model: MODEL,
          messages: ask('Hello there'),
          stream: true,
        }),
      );

      expect(chunks[0].choices[0].delta.role).toBe('assistant');
      expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
      expect(joined(chunks, 'content')).toBe('Simulated reply to: Hello there');
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
      expect(chunks.at(-1)?.choices[0].delta.content).toBe('there');
      expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    });

    it('ends with a usage chunk equal to the non-streaming usage when include_usage is set', async () => {
      const request = { model: THINKING_MODEL, messages: ask('How far is the moon from here?') };
      const completion = await client.chat.completions.create(request);
      const chunks = await collect(
        await client.chat.completions.create({
          ...request,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );

      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-1)?.usage).toEqual(completion.usage);
      expect(chunks.filter((chunk) => chunk.usage)).toHaveLength(1);
    });

    it('sends as many content chunks as the control asks for, from the header or the body', async () => {
      const fromHeader = await collect(
        await client.chat.completions.create(
          { model: MODEL, messages: ask('one two'), stream: true },
          { headers: { 'x-simulator': JSON.stringify({ tokens: 12 }) } },
        ),
      );
      const fromBody = await collect(
        await client.chat.completions.create({
          model: MODEL,
          messages: ask('one two'),
          stream: true,
          simulator: { tokens: 7 },
        } as OpenAI.ChatCompletionCreateParamsStreaming),
      );

      const contentChunks = (chunks: ChatCompletionChunk[]) =>
        chunks.filter((chunk) => chunk.choices[0]?.delta.content).length;
      expect(contentChunks(fromHeader)).toBe(12);
      expect(contentChunks(fromBody)).toBe(7);
      expect(joined(fromBody, 'content')).toBe('Simulated reply to: one two Simulated reply');
    });
  });

  describe('reasoning', () => {
    it('adds reasoning_content for a thinking model and counts it as reasoning tokens', async () => {
      const completion = await client.chat.completions.create({
        model: THINKING_MODEL,
        messages: ask('Why is the sky blue?'),
      });
      const message = completion.choices[0].message as { reasoning_content?: string };

      expect(message.reasoning_content).toBe(
        'Thinking about: Why is the sky blue? | the simulator will echo it back.',
      );
      expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(14);
      expect(completion.usage?.completion_tokens).toBe(14 + 8);
    });

    it('streams reasoning pieces before the content', async () => {
      const chunks = await collect(
        await client.chat.completions.create({
          model: THINKING_MODEL,
          messages: ask('Why?'),
          stream: true,
        }),
      );
      const kinds = chunks
        .map((chunk) => chunk.choices[0]?.delta as Record<string, unknown>)
        .map((delta) => ('reasoning_content' in delta ? 'r' : 'content' in delta ? 'c' : '-'));

      expect(kinds.join('')).toMatch(/^cr+c+$/);
      expect(joined(chunks, 'reasoning_content')).toMatch(/^Thinking about: Why\?/);
    });
  });

  describe('tools', () => {
    it('calls the first tool with JSON arguments from its schema', async () => {
      const completion = await client.chat.completions.create({
        model: MODEL,
        messages: ask('Weather in Paris'),
        tools: [WEATHER_TOOL, TIME_TOOL],
      });
      const choice = completion.choices[0];
      const call = choice.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;

      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
      expect(call.id).toMatch(/^call_/);
      expect(JSON.parse(call.function.arguments)).toEqual({
        city: 'Weather in Paris',
        days: 1,
        unit: 'celsius',
      });
    });

    it('mentions the tool result when the last message is a tool message', async () => {
      const completion = await client.chat.completions.create({
        model: MODEL,
        tools: [WEATHER_TOOL],
        messages: [
          ...ask('Weather in Paris'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
        ],
      });

      expect(completion.choices[0].message.content).toBe('Tool result received: {"temp":21}');
    });

    it('streams the call as deltas whose arguments join into the same JSON', async () => {
      const request = { model: MODEL, messages: ask('Weather in Paris'), tools: [WEATHER_TOOL] };
      const completion = await client.chat.completions.create(request);
      const chunks = await collect(
        await client.chat.completions.create({ ...request, stream: true }),
      );
      const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
      const expected = completion.choices[0].message
        .tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;

      expect(deltas[0]).toMatchObject({
        index: 0,
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      });
      expect(deltas[0].id).toMatch(/^call_/);
      expect(deltas.length).toBeGreaterThan(2);
      expect(deltas.every((delta) => delta.index === 0)).toBe(true);
      const args = deltas.map((delta) => delta.function?.arguments ?? '').join('');
      expect(JSON.parse(args)).toEqual(JSON.parse(expected.function.arguments));
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe('tool_calls');
    });
  });

  describe('limits', () => {
    it('cuts the answer at max_tokens with finish_reason length', async () => {
      const completion = await client.chat.completions.create({
        model: MODEL,
        messages: ask('one two three four five'),
        max_tokens: 4,
      });

      expect(completion.choices[0].message.content).toBe('Simulated reply to: one');
      expect(completion.choices[0].finish_reason).toBe('length');
      expect(completion.usage?.completion_tokens).toBe(4);
    });

    it('rejects max_tokens together with max_completion_tokens', async () => {
      const request = client.chat.completions.create({
        model: MODEL,
        messages: ask('hi'),
        max_tokens: 5,
        max_completion_tokens: 5,
      });

      await expect(request).rejects.toBeInstanceOf(OpenAI.BadRequestError);
      await expect(request).rejects.toMatchObject({
        status: 400,
        param: 'max_completion_tokens',
        type: 'invalid_request_error',
      });
    });
  });
});
