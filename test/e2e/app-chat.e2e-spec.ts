import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import {
  MODEL,
  REASONING_MODEL,
  simulatorAnswer,
  userSays,
  WEATHER_ARGUMENTS,
  WEATHER_QUESTION,
  WEATHER_TOOL,
} from './chat.fixtures';
import { postJson } from './json.client';

const INPUT = 'Write a haiku about the sea.';

describe('POST /v1/chat (app-level JSON chat)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  const chat = () => `${sut.url}/v1/chat`;

  it('answers {id, model, content, finishReason, usage} with ModelArk usage', async () => {
    const reference = await simulatorAnswer(sut.simulator, {
      model: MODEL,
      messages: userSays(INPUT),
    });
    sut.simulator.reset();

    const { status, headers, body } = await postJson(chat(), { input: INPUT, model: MODEL });

    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toEqual({
      id: sut.simulator.requests[0].id,
      model: MODEL,
      content: `Simulated reply to: ${INPUT}`,
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
      stream: false,
    });
  });

  it('accepts `messages` in OpenAI shape', async () => {
    const messages = [
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: [{ type: 'text', text: 'Capital of Italy?' }] },
    ];

    const { status, body } = await postJson(chat(), { messages });

    expect(status).toBe(200);
    expect(body.content).toBe('Simulated reply to: Capital of Italy?');
    expect(sut.simulator.requests[0].body).toMatchObject({ messages });
  });

  it('returns the reasoning of a reasoning model, with reasoningTokens', async () => {
    const { status, body } = await postJson(chat(), { input: INPUT, model: REASONING_MODEL });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      model: REASONING_MODEL,
      content: `Simulated reply to: ${INPUT}`,
      reasoning: `Thinking about: ${INPUT} | the simulator will echo it back.`,
      finishReason: 'stop',
    });
    expect(body.usage.reasoningTokens).toBe(15);
    expect(body.usage.completionTokens).toBe(15 + 9);
  });

  it('returns reasoning when `thinking: {type: "enabled"}` is asked of any model', async () => {
    const { body } = await postJson(chat(), { input: INPUT, thinking: { type: 'enabled' } });

    expect(body.reasoning).toBe(`Thinking about: ${INPUT} | the simulator will echo it back.`);
    expect(sut.simulator.requests[0].body).toMatchObject({ thinking: { type: 'enabled' } });
  });

  it('leaves reasoning out when thinking is disabled on a reasoning model', async () => {
    const { body } = await postJson(chat(), {
      input: INPUT,
      model: REASONING_MODEL,
      thinking: { type: 'disabled' },
    });

    expect(body).not.toHaveProperty('reasoning');
    expect(body.usage.reasoningTokens).toBe(0);
  });

  it('returns toolCalls {id, name, arguments} and a null content', async () => {
    const { status, body } = await postJson(chat(), {
      input: WEATHER_QUESTION,
      tools: [WEATHER_TOOL],
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      content: null,
      finishReason: 'tool_calls',
      toolCalls: [{ id: expect.stringMatching(/^call/), name: 'get_weather' }],
    });
    expect(JSON.parse(body.toolCalls[0].arguments)).toEqual(WEATHER_ARGUMENTS);
    expect(sut.simulator.requests[0].body).toMatchObject({ tools: [WEATHER_TOOL] });
  });

  it('answers a tool result with text', async () => {
    const messages = [
      ...userSays(WEATHER_QUESTION),
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny, 21 C' },
    ];

    const { status, body } = await postJson(chat(), { messages, tools: [WEATHER_TOOL] });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      content: 'Tool result received: Sunny, 21 C',
      finishReason: 'stop',
    });
    expect(body).not.toHaveProperty('toolCalls');
    expect(sut.simulator.requests[0].body).toMatchObject({ messages });
  });
});
