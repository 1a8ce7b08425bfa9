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

/** Request bodies shown in the API docs; the first is what "Try it out" sends. */
export const CHAT_COMPLETION_REQUEST_EXAMPLES = {
  basic: {
    summary: 'A question',
    value: {
      model: 'seed-1-6-250615',
      messages: [
        { role: 'system', content: 'You are a concise assistant.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      temperature: 0.7,
    },
  },
  streaming: {
    summary: 'Streamed, with usage in the last chunk',
    value: {
      model: 'seed-1-6-250615',
      messages: [{ role: 'user', content: 'Write a haiku about the sea.' }],
      stream: true,
      stream_options: { include_usage: true },
    },
  },
  tools: {
    summary: 'With a function tool',
    value: {
      model: 'seed-1-6-250615',
      messages: [{ role: 'user', content: 'What is the weather in Paris today?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather of a city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
            },
          },
        },
      ],
    },
  },
  prompt: {
    summary: "A prompt from MLflow's registry (arkgate's extension)",
    value: {
      model: 'seed-1-6-250615',
      prompt: {
        uri: 'prompts:/support-agent@production',
        variables: { question: 'How do I reset 2FA?' },
      },
    },
  },
  thinking: {
    summary: 'ModelArk deep thinking off (forwarded as it is)',
    value: {
      model: 'seed-1-6-250615',
      messages: [{ role: 'user', content: 'Is 1009 a prime number?' }],
      thinking: { type: 'disabled' },
    },
  },
};
