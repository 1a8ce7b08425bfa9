import { AnswerPlanner } from './answer.planner';
import { ChatCompletionRenderer } from './chat-completion.renderer';
import { ChatRequestParser } from './chat-request.parser';
import { RouteContext, RouteHandler } from './route-context.model';
import { SimulatorReply } from './simulator-reply.model';

/** `POST /chat/completions`. */
export class ChatCompletionsHandler implements RouteHandler {
  private readonly parser = new ChatRequestParser();
  private readonly planner = new AnswerPlanner();

  handle(context: RouteContext): SimulatorReply {
    const request = this.parser.parse(context.body);
    const answer = this.planner.plan(request.conversation, context.control.tokens);
    const renderer = new ChatCompletionRenderer(context.requestId, request.conversation.model);
    if (!request.stream) return { kind: 'json', status: 200, body: renderer.completion(answer) };
    return { kind: 'sse', events: renderer.chunks(answer, request.includeUsage), done: true };
  }
}
