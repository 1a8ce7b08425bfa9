import { Answer, AnswerUsage, FinishReason, ToolCallAnswer } from './answer.model';
import { JsonObject } from './request.fields';
import { SseEvent } from './simulator-reply.model';

/** Renders an answer as a ChatCompletion or as the chunks of its stream. */
export class ChatCompletionRenderer {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  static usage(usage: AnswerUsage) {
    return {
      prompt_tokens: usage.promptTokens,
      completion_tokens: usage.completionTokens,
      total_tokens: usage.totalTokens,
      prompt_tokens_details: { cached_tokens: usage.cachedTokens },
      completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    };
  }

  completion(answer: Answer) {
    const { toolCall } = answer;
    const message: JsonObject = { role: 'assistant', content: toolCall ? null : answer.content };
    if (answer.reasoningPieces.length > 0) message.reasoning_content = answer.reasoning;
    if (toolCall) {
      message.tool_calls = [
        {
          id: toolCall.id,
          type: 'function',
          function: { name: toolCall.name, arguments: toolCall.arguments },
        },
      ];
    }
    return {
      ...this.envelope('chat.completion'),
      choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
      usage: ChatCompletionRenderer.usage(answer.usage),
    };
  }

  /** Role, reasoning, then content or tool call deltas; the usage chunk only when asked for. */
  chunks(answer: Answer, includeUsage: boolean): SseEvent[] {
    const events: SseEvent[] = [
      this.chunk({ role: 'assistant', content: answer.toolCall ? null : '' }),
    ];
    for (const piece of answer.reasoningPieces) {
      events.push(this.chunk({ reasoning_content: piece }, null, true));
    }
    if (answer.toolCall) events.push(...this.toolCallChunks(answer.toolCall));
    const last = answer.contentPieces.length - 1;
    answer.contentPieces.forEach((piece, index) => {
      events.push(
        this.chunk({ content: piece }, index === last ? answer.finishReason : null, true),
      );
    });
    if (last < 0) events.push(this.chunk({}, answer.finishReason));
    if (includeUsage) {
      const usage = ChatCompletionRenderer.usage(answer.usage);
      events.push({ data: { ...this.envelope('chat.completion.chunk'), choices: [], usage } });
    }
    return events;
  }

  private toolCallChunks(toolCall: ToolCallAnswer): SseEvent[] {
    const opening = {
      index: 0,
      id: toolCall.id,
      type: 'function',
      function: { name: toolCall.name, arguments: '' },
    };
    return [
      this.chunk({ tool_calls: [opening] }, null, true),
      ...toolCall.argumentPieces.map((piece) =>
        this.chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null, true),
      ),
    ];
  }

  private chunk(
    delta: JsonObject,
    finishReason: FinishReason | null = null,
    paced = false,
  ): SseEvent {
    const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason };
    return { data: { ...this.envelope('chat.completion.chunk'), choices: [choice] }, paced };
  }

  private envelope(object: string) {
    return {
      id: this.id,
      object,
      created: this.created,
      model: this.model,
      service_tier: 'default',
    };
  }
}
