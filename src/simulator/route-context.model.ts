import { SimulatorControl } from './simulator-control.model';
import { SimulatorReply } from './simulator-reply.model';

export interface RouteContext {
  requestId: string;
  /** Parsed JSON body, or undefined when the request had none. */
  body: unknown;
  control: SimulatorControl;
  /** Path parameters, such as a model id. */
  params: Record<string, string>;
}

/** Routes build their reply synchronously; I/O, pacing and scenarios belong to the reply writer. */
export interface RouteHandler {
  handle(context: RouteContext): SimulatorReply;
}
