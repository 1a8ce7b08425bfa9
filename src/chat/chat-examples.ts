export const CHAT_STREAM_EXAMPLE = [
  'event: delta',
  'data: {"content":"Paris"}',
  '',
  'event: delta',
  'data: {"content":" is the capital of France."}',
  '',
  'event: done',
  'data: {"id":"021...","model":"seed-1-6-250615","finishReason":"stop","usage":{"promptTokens":14,"completionTokens":8,"totalTokens":22}}',
  '',
].join('\n');

/** Request bodies shown in the API docs; the first is what "Try it out" sends. */
export const CHAT_REQUEST_EXAMPLES = {
  input: {
    summary: 'One user message',
    value: {
      input: 'What is the capital of France?',
      model: 'seed-1-6-250615',
      sessionId: 'conversation-7',
      userId: 'user-42',
    },
  },
  messages: {
    summary: 'A conversation so far',
    value: {
      messages: [
        { role: 'system', content: 'You are a concise assistant.' },
        { role: 'user', content: 'What is the capital of France?' },
        { role: 'assistant', content: 'Paris.' },
        { role: 'user', content: 'And of Italy?' },
      ],
      sessionId: 'conversation-7',
    },
  },
  prompt: {
    summary: "A prompt from MLflow's registry",
    value: {
      prompt: { uri: 'prompts:/support-agent@production', variables: { question: 'Hi?' } },
      sessionId: 'conversation-7',
    },
  },
};
