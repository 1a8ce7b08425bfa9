import { ChatCompletionsHandler } from './chat-completions.handler';
import { EmbeddingsHandler } from './embeddings.handler';
import { ModelsHandler } from './models.handler';
import { MultimodalEmbeddingsHandler } from './multimodal-embeddings.handler';
import { ResponsesHandler } from './responses.handler';
import { RouteHandler } from './route-context.model';
import { SimulatorError } from './simulator.error';

export interface ResolvedRoute {
  handler: RouteHandler;
  params: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

/** BytePlus's prefix, OpenAI's, or none: clients configured either way reach the same routes. */
const PREFIX = /^\/(?:api\/v3|v1)(?=\/|$)/;

/** Maps a method and path to a route handler; unknown paths are 404s, known paths with another method 405s. */
export class SimulatorRouter {
  private readonly routes: Route[];

  constructor() {
    const models = new ModelsHandler();
    this.routes = [
      { method: 'POST', pattern: /^\/chat\/completions$/, handler: new ChatCompletionsHandler() },
      { method: 'POST', pattern: /^\/responses$/, handler: new ResponsesHandler() },
      { method: 'POST', pattern: /^\/embeddings$/, handler: new EmbeddingsHandler() },
      {
        method: 'POST',
        pattern: /^\/embeddings\/multimodal$/,
        handler: new MultimodalEmbeddingsHandler(),
      },
      { method: 'GET', pattern: /^\/models$/, handler: models },
      { method: 'GET', pattern: /^\/models\/(?<id>[^/]+)$/, handler: models },
    ];
  }

  /** The route path: query, API prefix and trailing slash removed. */
  static normalize(pathname: string): string {
    const path = pathname.replace(PREFIX, '').replace(/\/+$/, '');
    return path === '' ? '/' : path;
  }

  resolve(method: string, pathname: string): ResolvedRoute {
    const path = SimulatorRouter.normalize(pathname);
    const matches = this.routes.filter((route) => route.pattern.test(path));
    const route = matches.find((candidate) => candidate.method === method);
    if (route) return { handler: route.handler, params: this.params(route.pattern, path) };
    if (matches.length > 0) {
      const allow = matches.map((candidate) => candidate.method).join(', ');
      throw new SimulatorError(405, 'MethodNotAllowed', `Use ${allow} for ${pathname}.`, null, {
        allow,
      });
    }
    throw new SimulatorError(404, 'NotFound', `No route for ${method} ${pathname}.`);
  }

  private params(pattern: RegExp, path: string): Record<string, string> {
    const groups = pattern.exec(path)?.groups ?? {};
    return Object.fromEntries(
      Object.entries(groups).map(([name, value]) => [name, this.decode(value)]),
    );
  }

  private decode(value: string): string {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
}
