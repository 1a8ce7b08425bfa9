import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ArkChatMessage } from '../llm/chat-stream.aggregator';
import { ChatResponseDto, ChatToolCallDto, ChatUsageDto } from './chat-response.model';

export function toUsage(
  usage: ChatCompletion['usage'] | null | undefined,
): ChatUsageDto | undefined {
  if (!usage) return undefined;
  const reasoningTokens = usage.completion_tokens_details?.reasoning_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    ...(reasoningTokens !== undefined ? { reasoningTokens } : {}),
  };
}

function toToolCalls(message: ArkChatMessage): ChatToolCallDto[] | undefined {
  const calls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
  return calls.length > 0 ? calls : undefined;
}

/** ChatCompletion → the app-level answer (first choice). */
export function toChatResponse(completion: ChatCompletion): ChatResponseDto {
  const choice = completion.choices[0];
  const message = (choice?.message ?? { content: null }) as ArkChatMessage;
  const response: ChatResponseDto = {
    id: completion.id,
    model: completion.model,
    content: message.content ?? null,
    finishReason: choice?.finish_reason ?? 'stop',
  };
  if (message.reasoning_content) response.reasoning = message.reasoning_content;
  const toolCalls = toToolCalls(message);
  if (toolCalls) response.toolCalls = toolCalls;
  const usage = toUsage(completion.usage);
  if (usage) response.usage = usage;
  return response;
}

/** The `delta` event for one chunk, or null when the chunk carries nothing for the user. */
export function toDeltaEvent(chunk: ChatCompletionChunk): Record<string, unknown> | null {
  const delta = chunk.choices[0]?.delta as
    (ChatCompletionChunk.Choice.Delta & { reasoning_content?: string }) | undefined;
  if (!delta) return null;
  const event: Record<string, unknown> = {};
  if (delta.reasoning_content) event.reasoning = delta.reasoning_content;
  if (delta.content) event.content = delta.content;
  if (delta.tool_calls?.length) event.toolCalls = delta.tool_calls;
  return Object.keys(event).length > 0 ? event : null;
}
