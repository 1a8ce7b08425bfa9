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
