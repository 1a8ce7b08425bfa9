export const CHAT_COMPLETION_EXAMPLE = {
  id: '0217326432517236f9e0c4a94c2a1d0e3ad8f1b9c3a6d6e0b8e33',
  object: 'chat.completion',
  created: 1763633730,
  model: 'seed-1-6-250615',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Paris is the capital of France.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 14, completion_tokens: 8, total_tokens: 22 },
};

export const CHAT_COMPLETION_STREAM_EXAMPLE = [
  'data: {"id":"021...","object":"chat.completion.chunk","created":1763633730,"model":"seed-1-6-250615","choices":[{"index":0,"delta":{"role":"assistant","content":"Paris"},"finish_reason":null}]}',
  '',
  'data: {"id":"021...","object":"chat.completion.chunk","created":1763633730,"model":"seed-1-6-250615","choices":[{"index":0,"delta":{"content":" is the capital."},"finish_reason":"stop"}]}',
  '',
  'data: [DONE]',
  '',
].join('\n');

export const MODEL_LIST_EXAMPLE = {
  object: 'list',
  data: [{ id: 'seed-1-6-250615', object: 'model', created: 1750000000, owned_by: 'bytedance' }],
};
