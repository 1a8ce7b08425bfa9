import { AnswerPlanner } from './answer.planner';
import { ResponsesRequestParser } from './responses-request.parser';
import { ResponsesStreamRenderer } from './responses-stream.renderer';
import { ResponsesRenderer } from './responses.renderer';
import { RouteContext, RouteHandler } from './route-context.model';
import { SimulatorReply } from './simulator-reply.model';

/** `POST /responses`: the Responses API, which ModelArk serves natively. */
export class ResponsesHandler implements RouteHandler {
  private readonly parser = new ResponsesRequestParser();
  private readonly planner = new AnswerPlanner();

  handle(context: RouteContext): SimulatorReply {
    const request = this.parser.parse(context.body);
    const answer = this.planner.plan(request.conversation, context.control.tokens);
    const renderer = new ResponsesRenderer(`resp_${context.requestId}`, request);
    if (!request.stream) return { kind: 'json', status: 200, body: renderer.response(answer) };
    const events = new ResponsesStreamRenderer(renderer).render(answer);
    return { kind: 'sse', events, done: false };
  }
}
