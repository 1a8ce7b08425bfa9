import { RouteContext, RouteHandler } from './route-context.model';
import { SimulatorError } from './simulator.error';
import { SimulatorReply } from './simulator-reply.model';

/** Simulator data: plausible ModelArk model ids, not a statement of what BytePlus serves. */
const MODELS: ReadonlyArray<{ id: string; created: number }> = [
  { id: 'seed-1-6-250615', created: 1749945600 },
  { id: 'seed-1-6-flash-250715', created: 1752537600 },
  { id: 'seed-1-6-thinking-250715', created: 1752537600 },
  { id: 'deepseek-r1-250528', created: 1748390400 },
  { id: 'deepseek-v3-1-250821', created: 1755734400 },
  { id: 'kimi-k2-250905', created: 1757030400 },
  { id: 'seed-embedding-text-250615', created: 1749945600 },
  { id: 'skylark-embedding-vision-250615', created: 1749945600 },
];

/** `GET /models` and `GET /models/{id}`. */
export class ModelsHandler implements RouteHandler {
  handle(context: RouteContext): SimulatorReply {
    const id = context.params.id;
    if (id === undefined) {
      return { kind: 'json', status: 200, body: { object: 'list', data: MODELS.map(this.model) } };
    }
    const found = MODELS.find((model) => model.id === id);
    if (!found) {
      throw new SimulatorError(
        404,
        'InvalidEndpointOrModel.NotFound',
        `The model or endpoint ${id} does not exist or you do not have access to it.`,
        'model',
      );
    }
    return { kind: 'json', status: 200, body: this.model(found) };
  }

  private model(this: void, entry: { id: string; created: number }) {
    return { id: entry.id, object: 'model', created: entry.created, owned_by: 'byteplus' };
  }
}
