import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';

/**
 * A stored completion as the stream ModelArk would have sent: per choice, one delta with the
 * whole message, then its finish reason; then the usage-only chunk (the relay drops it when the
 * caller did not ask for usage).
 */
export async function* completionChunks(
  completion: ChatCompletion,
): AsyncGenerator<ChatCompletionChunk> {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk' as const,
    created: completion.created,
    model: completion.model,
  };
  for (const choice of completion.choices) {
    const { role, content, tool_calls: toolCalls, ...rest } = choice.message;
    const delta: ChatCompletionChunk.Choice.Delta & Record<string, unknown> = {
      role,
      content,
      ...(rest as Record<string, unknown>),
    };
    if (toolCalls?.length) {
      delta.tool_calls = toolCalls.map((call, index) => ({ index, ...call }));
    }
    yield { ...base, choices: [{ index: choice.index, delta, finish_reason: null }] };
    yield {
      ...base,
      choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }],
    };
  }
  if (completion.usage) yield { ...base, choices: [], usage: completion.usage };
}
