import { ChatRequestParser } from './chat-request.parser';
import { SimulatorError } from './simulator.error';

const MODEL = 'seed-1-6-250615';
const user = { role: 'user', content: 'hi' };

describe(ChatRequestParser.name, () => {
  let sut: ChatRequestParser;

  beforeEach(() => {
    sut = new ChatRequestParser();
  });

  const errorOf = (body: unknown) => {
    try {
      sut.parse(body);
    } catch (error) {
      return error as SimulatorError;
    }
    throw new Error('expected a SimulatorError');
  };

  it('normalizes messages, text parts and images, and stream options', () => {
    const request = sut.parse({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 10,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            { type: 'text', text: 'this' },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [] },
      ],
    });

    expect(request).toMatchObject({ stream: true, includeUsage: true });
    expect(request.conversation).toMatchObject({
      model: MODEL,
      maxAnswerTokens: 10,
      reasoning: false,
      toolChoice: 'auto',
      turns: [
        { role: 'system', text: 'Be brief.', images: 0 },
        { role: 'user', text: 'Describe\nthis', images: 1 },
        { role: 'assistant', text: '', images: 0 },
      ],
    });
  });

  it('reads tools and a forced tool_choice', () => {
    const request = sut.parse({
      model: MODEL,
      messages: [user],
      tools: [
        { type: 'function', function: { name: 'a', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'b' } },
      ],
      tool_choice: { type: 'function', function: { name: 'b' } },
    });

    expect(request.conversation.tools).toEqual([
      { name: 'a', parameters: { type: 'object' } },
      { name: 'b', parameters: undefined },
    ]);
    expect(request.conversation.toolChoice).toEqual({ name: 'b' });
  });

  it.each([
    ['a missing model', { messages: [user] }, 'model', 'MissingParameter'],
    ['a numeric model', { model: 1, messages: [user] }, 'model', 'InvalidParameter'],
    ['missing messages', { model: MODEL }, 'messages', 'MissingParameter'],
    ['empty messages', { model: MODEL, messages: [] }, 'messages', 'InvalidParameter'],
    [
      'a message that is not an object',
      { model: MODEL, messages: ['hi'] },
      'messages.0',
      'InvalidParameter',
    ],
    [
      'an unknown role',
      { model: MODEL, messages: [{ role: 'robot', content: 'x' }] },
      'messages.0.role',
      'InvalidParameter',
    ],
    [
      'a user message without content',
      { model: MODEL, messages: [{ role: 'user' }] },
      'messages.0.content',
      'MissingParameter',
    ],
    [
      'both token limits',
      { model: MODEL, messages: [user], max_tokens: 5, max_completion_tokens: 5 },
      'max_completion_tokens',
      'InvalidParameter',
    ],
    [
      'a zero max_tokens',
      { model: MODEL, messages: [user], max_tokens: 0 },
      'max_tokens',
      'InvalidParameter',
    ],
    [
      'an unnamed tool',
      { model: MODEL, messages: [user], tools: [{ type: 'function', function: {} }] },
      'tools.0.function.name',
      'InvalidParameter',
    ],
    [
      'a tool_choice naming no tool',
      {
        model: MODEL,
        messages: [user],
        tool_choice: { type: 'function', function: { name: 'x' } },
      },
      'tool_choice',
      'InvalidParameter',
    ],
    [
      'an unknown thinking type',
      { model: MODEL, messages: [user], thinking: { type: 'maybe' } },
      'thinking.type',
      'InvalidParameter',
    ],
    [
      'an unknown reasoning_effort',
      { model: MODEL, messages: [user], reasoning_effort: 'max' },
      'reasoning_effort',
      'InvalidParameter',
    ],
    [
      'a string stream flag',
      { model: MODEL, messages: [user], stream: 'yes' },
      'stream',
      'InvalidParameter',
    ],
    ['a body that is not an object', [1, 2], null, 'InvalidParameter'],
  ])('rejects %s with a 400 naming the parameter', (_case, body, param, code) => {
    expect(errorOf(body)).toMatchObject({ status: 400, param, code });
  });
});
