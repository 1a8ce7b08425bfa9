export const RESPONSE_EXAMPLE = {
  id: 'resp_0217326432517236f9e0c4a94c2a1d0e3ad8f1b9c3a6d6e0b8e33',
  object: 'response',
  created_at: 1763633730,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  model: 'seed-1-6-250615',
  output: [
    {
      type: 'message',
      id: 'msg_5c1d0e3ad8f1b9c3a6d6e0b8',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Paris is the capital of France.', annotations: [] }],
    },
  ],
  tools: [],
  usage: {
    input_tokens: 14,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 8,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 22,
  },
};

export const RESPONSE_STREAM_EXAMPLE = [
  'event: response.created',
  'data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_021...","object":"response","status":"in_progress","output":[]}}',
  '',
  'event: response.output_text.delta',
  'data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_5c1d...","output_index":0,"content_index":0,"delta":"Paris"}',
  '',
  'event: response.completed',
  'data: {"type":"response.completed","sequence_number":9,"response":{"id":"resp_021...","object":"response","status":"completed","output":[...],"usage":{...}}}',
  '',
].join('\n');

/** Request bodies shown in the API docs; the first is what "Try it out" sends. */
export const RESPONSES_REQUEST_EXAMPLES = {
  basic: {
    summary: 'A question',
    value: {
      model: 'seed-1-6-250615',
      input: 'What is the capital of France?',
      instructions: 'Answer in one sentence.',
    },
  },
  streaming: {
    summary: 'Streamed events',
    value: { model: 'seed-1-6-250615', input: 'Write a haiku about the sea.', stream: true },
  },
};
