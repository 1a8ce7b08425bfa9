import OpenAI from 'openai';
import type { FunctionTool } from 'openai/resources/responses/responses';
import { ResponsesHandler } from './responses.handler';
import { ModelArkSimulator } from './simulator.server';
import { SseEventsReader } from './sse-events.reader';

const MODEL = 'seed-1-6-250615';

interface StreamPayload {
  type: string;
  sequence_number: number;
  delta?: string;
}
const THINKING_MODEL = 'seed-1-6-thinking-250715';
const WEATHER_TOOL: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  strict: false,
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

describe(ResponsesHandler.name, () => {
  let sut: ModelArkSimulator;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await ModelArkSimulator.start();
    client = new OpenAI({ apiKey: 'test-key', baseURL: sut.url, maxRetries: 0 });
  });

  afterAll(() => sut.close());

  const streamEvents = async (body: Record<string, unknown>) => {
    const response = await fetch(`${sut.url}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    return { response, text: await response.text() };
  };

  it('answers a completed response with one message and usage', async () => {
    const response = await client.responses.create({ model: MODEL, input: 'Hello there' });

    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: MODEL,
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [
            { type: 'output_text', text: 'Simulated reply to: Hello there', annotations: [] },
          ],
        },
      ],
      usage: {
        input_tokens: 5,
        output_tokens: 5,
        total_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(response.id).toMatch(/^resp_021/);
    expect(response.output_text).toBe('Simulated reply to: Hello there');
  });

  it('reads input items and instructions', async () => {
    const response = await client.responses.create({
      model: MODEL,
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'first question' }] },
        { role: 'assistant', content: 'an answer' },
        { type: 'message', role: 'user', content: 'second question' },
      ],
    });

    expect(response.output_text).toBe('Simulated reply to: second question');
    expect(response.usage?.input_tokens).toBe(2 + 2 + 2 + 2 + 4 * 3);
  });

  it('puts a reasoning item with a summary first for a thinking model', async () => {
    const response = await client.responses.create({ model: THINKING_MODEL, input: 'Why?' });

    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(response.output[0]).toMatchObject({
      summary: [{ type: 'summary_text', text: expect.stringMatching(/^Thinking about: Why\?/) }],
    });
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(10);
  });

  it('skips reasoning when reasoning.effort is minimal', async () => {
    const response = await client.responses.create({
      model: THINKING_MODEL,
      input: 'Why?',
      reasoning: { effort: 'minimal' },
    });

    expect(response.output.map((item) => item.type)).toEqual(['message']);
  });

  it('calls a function tool, then acknowledges its output', async () => {
    const call = await client.responses.create({
      model: MODEL,
      input: 'Weather in Oslo',
      tools: [WEATHER_TOOL],
    });
    const item = call.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const followUp = await client.responses.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      input: [
        { role: 'user', content: 'Weather in Oslo' },
        item,
        { type: 'function_call_output', call_id: item.call_id, output: 'cold' },
      ],
    });

    expect(item).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    expect(item.call_id).toMatch(/^call_/);
    expect(JSON.parse(item.arguments)).toEqual({ city: 'Weather in Oslo' });
    expect(followUp.output_text).toBe('Tool result received: cold');
  });

  it('is incomplete when max_output_tokens cuts the answer', async () => {
    const response = await client.responses.create({
      model: MODEL,
      input: 'one two three',
      max_output_tokens: 2,
    });

    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.output_text).toBe('Simulated reply');
  });

  it('streams the documented event sequence, numbered, without [DONE]', async () => {
    const { response, text } = await streamEvents({ model: MODEL, input: 'Hello there' });
    const events = SseEventsReader.parse(text);
    const payloads = events.map((event) => JSON.parse(event.data) as StreamPayload);
    const types = payloads.map((payload) => payload.type);

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(text).not.toContain('[DONE]');
    expect(events.map((event) => event.event)).toEqual(types);
    expect(payloads.map((payload) => payload.sequence_number)).toEqual(types.map((_, i) => i));
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(5).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const deltas = payloads.filter((payload) => payload.type === 'response.output_text.delta');
    expect(deltas.map((payload) => payload.delta).join('')).toBe('Simulated reply to: Hello there');
  });

  it('streams a final response equal to the non-streaming one, usage included', async () => {
    const body = { model: THINKING_MODEL, input: 'Hello there', tools: [WEATHER_TOOL] };
    const plain = await client.responses.create(body);
    const stream = await client.responses.create({ ...body, stream: true });
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.completed') completed = event.response;
    }

    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(types).toContain('response.function_call_arguments.delta');
    expect(completed?.usage).toEqual(plain.usage);
    expect(completed?.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
  });

  it.each([
    ['a missing input', { model: MODEL }, 'input'],
    ['an empty input array', { model: MODEL, input: [] }, 'input'],
    ['an unknown item type', { model: MODEL, input: [{ type: 'telepathy' }] }, 'input.0'],
    ['a missing model', { input: 'hi' }, 'model'],
  ])('answers 400 for %s', async (_case, body, param) => {
    const response = await fetch(`${sut.url}/responses`, {
      method: 'POST',
      body: JSON.stringify(body),
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
  });
});
