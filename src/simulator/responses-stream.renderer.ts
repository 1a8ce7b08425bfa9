import { Answer, ToolCallAnswer } from './answer.model';
import { JsonObject } from './request.fields';
import { ResponsesRenderer } from './responses.renderer';
import { SseEvent } from './simulator-reply.model';

/** The Responses API event sequence for an answer, numbered with `sequence_number`. */
export class ResponsesStreamRenderer {
  private readonly events: SseEvent[] = [];
  private outputIndex = 0;

  constructor(private readonly renderer: ResponsesRenderer) {}

  render(answer: Answer): SseEvent[] {
    const start = this.renderer.inProgress();
    this.emit('response.created', { response: start });
    this.emit('response.in_progress', { response: start });
    if (answer.reasoningPieces.length > 0) this.reasoning(answer);
    if (answer.toolCall) this.functionCall(answer.toolCall);
    else this.message(answer);
    const done = ResponsesRenderer.status(answer) === 'incomplete' ? 'incomplete' : 'completed';
    this.emit(`response.${done}`, { response: this.renderer.response(answer) });
    return this.events;
  }

  private reasoning(answer: Answer) {
    const at = { item_id: this.renderer.reasoningId, output_index: this.outputIndex };
    const part = (text: string) => ({ type: 'summary_text', text });
    const status = ResponsesRenderer.status(answer);
    this.emit('response.output_item.added', {
      output_index: this.outputIndex,
      item: this.renderer.reasoningItem(undefined, 'in_progress'),
    });
    this.emit('response.reasoning_summary_part.added', { ...at, summary_index: 0, part: part('') });
    for (const delta of answer.reasoningPieces) {
      this.emit('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta }, true);
    }
    this.emit('response.reasoning_summary_text.done', {
      ...at,
      summary_index: 0,
      text: answer.reasoning,
    });
    this.emit('response.reasoning_summary_part.done', {
      ...at,
      summary_index: 0,
      part: part(answer.reasoning),
    });
    this.itemDone(this.renderer.reasoningItem(answer.reasoning, status));
  }

  private functionCall(call: ToolCallAnswer) {
    const at = { item_id: this.renderer.functionCallId, output_index: this.outputIndex };
    this.emit('response.output_item.added', {
      output_index: this.outputIndex,
      item: this.renderer.functionCallItem(call, '', 'in_progress'),
    });
    for (const delta of call.argumentPieces) {
      this.emit('response.function_call_arguments.delta', { ...at, delta }, true);
    }
    this.emit('response.function_call_arguments.done', { ...at, arguments: call.arguments });
    this.itemDone(this.renderer.functionCallItem(call, call.arguments, 'completed'));
  }

  private message(answer: Answer) {
    const at = {
      item_id: this.renderer.messageId,
      output_index: this.outputIndex,
      content_index: 0,
    };
    this.emit('response.output_item.added', {
      output_index: this.outputIndex,
      item: this.renderer.messageItem(undefined, 'in_progress'),
    });
    this.emit('response.content_part.added', { ...at, part: this.renderer.textPart('') });
    for (const delta of answer.contentPieces) {
      this.emit('response.output_text.delta', { ...at, delta, logprobs: [] }, true);
    }
    this.emit('response.output_text.done', { ...at, text: answer.content, logprobs: [] });
    this.emit('response.content_part.done', {
      ...at,
      part: this.renderer.textPart(answer.content),
    });
    this.itemDone(this.renderer.messageItem(answer.content, ResponsesRenderer.status(answer)));
  }

  private itemDone(item: JsonObject) {
    this.emit('response.output_item.done', { output_index: this.outputIndex, item });
    this.outputIndex += 1;
  }

  private emit(type: string, fields: JsonObject, paced = false) {
    const data = { type, sequence_number: this.events.length, ...fields };
    this.events.push({ event: type, data, paced });
  }
}
