import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ChatStreamAggregator } from './chat-stream.aggregator';

function chunk(
  delta: Record<string, unknown>,
  extra: Partial<ChatCompletionChunk> = {},
  finish: string | null = null,
): ChatCompletionChunk {
  return {
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 100,
    model: 'seed',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...extra,
  } as ChatCompletionChunk;
}

describe(ChatStreamAggregator.name, () => {
  it('joins reasoning, content, finish reason and usage into one ChatCompletion', () => {
    const sut = new ChatStreamAggregator();
    sut.add(chunk({ role: 'assistant', reasoning_content: 'Think' }));
    sut.add(chunk({ reasoning_content: 'ing.' }));
    sut.add(chunk({ content: 'Hello' }));
    sut.add(chunk({ content: ' world' }, {}, 'stop'));
    const usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };
    sut.add({ ...chunk({}), choices: [], usage });

    const result = sut.result();
    expect(result).toMatchObject({ id: 'c1', object: 'chat.completion', model: 'seed', usage });
    expect(result.choices[0].message).toMatchObject({
      role: 'assistant',
      content: 'Hello world',
      reasoning_content: 'Thinking.',
    });
    expect(result.choices[0].finish_reason).toBe('stop');
    expect(sut.chunkCount).toBe(5);
  });

  it('joins tool-call deltas per index, content null', () => {
    const sut = new ChatStreamAggregator();
    sut.add(
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_a',
            type: 'function',
            function: { name: 'weather', arguments: '' },
          },
        ],
      }),
    );
    sut.add(chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'time' } }] }));
    sut.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    sut.add(
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, {}, 'tool_calls'),
    );

    const { message, finish_reason } = sut.result().choices[0];
    expect(finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      {
        id: 'call_a',
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Paris"}' },
      },
      { id: 'call_b', type: 'function', function: { name: 'time', arguments: '' } },
    ]);
  });

  it('keeps content null for a tool call streamed with empty content deltas, as ModelArk sends it', () => {
    const sut = new ChatStreamAggregator();
    sut.add(chunk({ role: 'assistant', content: '' }));
    sut.add(
      chunk({
        content: '',
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } },
        ],
      }),
    );
    sut.add(chunk({ content: '' }, {}, 'tool_calls'));

    const { message } = sut.result().choices[0];
    expect(message.content).toBeNull();
    expect(message.tool_calls).toHaveLength(1);
  });

  it('keeps choices apart by index', () => {
    const sut = new ChatStreamAggregator();
    sut.add({
      ...chunk({}),
      choices: [{ index: 1, delta: { content: 'B' }, finish_reason: null }],
    });
    sut.add({
      ...chunk({}),
      choices: [{ index: 0, delta: { content: 'A' }, finish_reason: null }],
    });
    expect(sut.result().choices.map((choice) => choice.message.content)).toEqual(['A', 'B']);
  });
});
