import { Answer, ToolCallAnswer } from './answer.model';
import { JsonObject } from './request.fields';
import { ResponsesRequest } from './responses-request.parser';
import { SimulatorIds } from './simulator.ids';

type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** Renders an answer as a Responses API `response` object and its output items. */
export class ResponsesRenderer {
  readonly reasoningId = SimulatorIds.prefixed('rs');
  readonly messageId = SimulatorIds.prefixed('msg');
  readonly functionCallId = SimulatorIds.prefixed('fc');
  private readonly createdAt = Math.floor(Date.now() / 1000);

  constructor(
    private readonly id: string,
    private readonly request: ResponsesRequest,
  ) {}

  static status(answer: Answer): ItemStatus {
    return answer.finishReason === 'length' ? 'incomplete' : 'completed';
  }

  response(answer: Answer) {
    const status = ResponsesRenderer.status(answer);
    const { usage } = answer;
    return {
      ...this.envelope(status),
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      output: this.output(answer, status),
      usage: {
        input_tokens: usage.promptTokens,
        input_tokens_details: { cached_tokens: usage.cachedTokens },
        output_tokens: usage.completionTokens,
        output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
        total_tokens: usage.totalTokens,
      },
    };
  }

  /** The response as announced before any output exists. */
  inProgress() {
    return { ...this.envelope('in_progress'), incomplete_details: null, output: [], usage: null };
  }

  reasoningItem(text: string | undefined, status: ItemStatus) {
    const summary = text === undefined ? [] : [{ type: 'summary_text', text }];
    return { type: 'reasoning', id: this.reasoningId, summary, status };
  }

  messageItem(text: string | undefined, status: ItemStatus) {
    const content = text === undefined ? [] : [this.textPart(text)];
    return { type: 'message', id: this.messageId, role: 'assistant', status, content };
  }

  functionCallItem(call: ToolCallAnswer, args: string, status: ItemStatus) {
    return {
      type: 'function_call',
      id: this.functionCallId,
      call_id: call.id,
      name: call.name,
      arguments: args,
      status,
    };
  }

  textPart(text: string) {
    return { type: 'output_text', text, annotations: [] };
  }

  private output(answer: Answer, status: ItemStatus): JsonObject[] {
    const items: JsonObject[] = [];
    if (answer.reasoningPieces.length > 0) items.push(this.reasoningItem(answer.reasoning, status));
    if (answer.toolCall) {
      items.push(this.functionCallItem(answer.toolCall, answer.toolCall.arguments, 'completed'));
    } else {
      items.push(this.messageItem(answer.content, status));
    }
    return items;
  }

  private envelope(status: ItemStatus) {
    const { body, conversation } = this.request;
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status,
      error: null,
      instructions: body.instructions ?? null,
      max_output_tokens: conversation.maxOutputTokens ?? null,
      metadata: body.metadata ?? {},
      model: conversation.model,
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: conversation.reasoning ? 'medium' : 'minimal', summary: null },
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: { format: { type: 'text' } },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_p: body.top_p ?? 1,
      truncation: 'disabled',
    };
  }
}
