import type { ChatCompletion } from 'openai/resources/chat/completions';
import { ChatStreamAggregator } from '../llm/chat-stream.aggregator';
import { completionChunks } from './completion-chunks';

const COMPLETION: ChatCompletion = {
  id: 'c-1',
  object: 'chat.completion',
  created: 1,
  model: 'seed-1-6-250615',
  choices: [
    {
      index: 0,
      logprobs: null,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 't-1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
        ],
      },
    },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
};

describe(completionChunks.name, () => {
  it('replays a completion as chunks that join into the same answer, usage last', async () => {
    const aggregator = new ChatStreamAggregator();
    const chunks = [];
    for await (const chunk of completionChunks(COMPLETION)) {
      chunks.push(chunk);
      aggregator.add(chunk);
    }

    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: COMPLETION.usage });
    expect(aggregator.result()).toMatchObject({
      id: 'c-1',
      usage: COMPLETION.usage,
      choices: [
        {
          finish_reason: 'tool_calls',
          message: {
            content: null,
            tool_calls: [{ id: 't-1', function: { name: 'get_weather', arguments: '{}' } }],
          },
        },
      ],
    });
  });
});
