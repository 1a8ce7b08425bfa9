import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';

interface ChoiceState {
  content: string;
  reasoning: string;
  hasContent: boolean;
  toolCalls: Map<number, { id: string; type: 'function'; name: string; arguments: string }>;
  finishReason: ChatCompletion.Choice['finish_reason'] | null;
  role: 'assistant';
}

/** The message as ModelArk sends it back: OpenAI's, plus `reasoning_content`. */
export type ArkChatMessage = ChatCompletion.Choice['message'] & { reasoning_content?: string };

/**
 * Joins streamed chunks into the ChatCompletion the same request would have returned without
 * streaming: text and reasoning concatenated, tool-call deltas joined per index, usage from the
 * usage chunk.
 */
export class ChatStreamAggregator {
  private readonly choices = new Map<number, ChoiceState>();
  private id = '';
  private model = '';
  private created = 0;
  private systemFingerprint?: string;
  private usage?: ChatCompletion['usage'];
  private serviceTier?: ChatCompletion['service_tier'];
  chunkCount = 0;

  /** True once every choice has its finish reason: the answer is whole, not cut short. */
  get finished(): boolean {
    return this.choices.size > 0 && [...this.choices.values()].every((state) => state.finishReason);
  }

  add(chunk: ChatCompletionChunk): void {
    this.chunkCount += 1;
    this.id ||= chunk.id;
    this.model ||= chunk.model;
    this.created ||= chunk.created;
    this.systemFingerprint ??= chunk.system_fingerprint ?? undefined;
    this.serviceTier ??= chunk.service_tier ?? undefined;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) this.addChoice(choice);
  }

  result(): ChatCompletion {
    const indexes = [...this.choices.keys()].sort((a, b) => a - b);
    const completion: ChatCompletion = {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: indexes.map((index) => this.buildChoice(index, this.choices.get(index)!)),
    };
    if (this.usage) completion.usage = this.usage;
    if (this.systemFingerprint) completion.system_fingerprint = this.systemFingerprint;
    if (this.serviceTier) completion.service_tier = this.serviceTier;
    return completion;
  }

  private addChoice(choice: ChatCompletionChunk.Choice): void {
    const state = this.stateFor(choice.index);
    const delta = choice.delta as ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };
    // ModelArk sends `content: ""` beside tool-call deltas; only text makes the message's content
    // a string, so a tool-call-only answer keeps OpenAI's `content: null`.
    if (typeof delta.content === 'string' && delta.content !== '') {
      state.content += delta.content;
      state.hasContent = true;
    }
    if (typeof delta.reasoning_content === 'string') state.reasoning += delta.reasoning_content;
    for (const call of delta.tool_calls ?? []) {
      const joined = state.toolCalls.get(call.index) ?? {
        id: '',
        type: 'function' as const,
        name: '',
        arguments: '',
      };
      if (call.id) joined.id = call.id;
      if (call.function?.name) joined.name += call.function.name;
      if (call.function?.arguments) joined.arguments += call.function.arguments;
      state.toolCalls.set(call.index, joined);
    }
    if (choice.finish_reason) state.finishReason = choice.finish_reason;
  }

  private stateFor(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = {
        content: '',
        reasoning: '',
        hasContent: false,
        toolCalls: new Map(),
        finishReason: null,
        role: 'assistant',
      };
      this.choices.set(index, state);
    }
    return state;
  }

  private buildChoice(index: number, state: ChoiceState): ChatCompletion.Choice {
    const message: ArkChatMessage = {
      role: state.role,
      content: state.hasContent || state.toolCalls.size === 0 ? state.content : null,
      refusal: null,
    };
    if (state.reasoning) message.reasoning_content = state.reasoning;
    if (state.toolCalls.size > 0) {
      message.tool_calls = [...state.toolCalls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, call]): ChatCompletionMessageToolCall => ({
          id: call.id,
          type: call.type,
          function: { name: call.name, arguments: call.arguments },
        }));
    }
    return {
      index,
      message,
      finish_reason: state.finishReason ?? 'stop',
      logprobs: null,
    };
  }
}
