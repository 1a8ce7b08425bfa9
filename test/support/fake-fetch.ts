/** One request a {@link FakeFetch} received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** The body parsed as JSON when it was a JSON string. */
  json: unknown;
}

export type FakeReply =
  { status?: number; json?: unknown; text?: string; contentType?: string } | Error;

type Handler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/** A stand-in for `fetch` that answers by `METHOD /path` and records every request. */
export class FakeFetch {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Handler>();

  on(method: string, path: string, reply: FakeReply | Handler): this {
    this.routes.set(`${method} ${path}`, typeof reply === 'function' ? reply : () => reply);
    return this;
  }

  calls(): string[] {
    return this.requests.map((request) => `${request.method} ${request.path}`);
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body as string | Uint8Array | undefined;
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      json: typeof body === 'string' ? tryJson(body) : undefined,
    };
    this.requests.push(request);
    const handler = this.routes.get(`${request.method} ${request.path}`);
    const reply = handler ? await handler(request) : { status: 404, text: 'no route' };
    if (reply instanceof Error) throw reply;
    const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    return new Response(text, {
      status: reply.status ?? 200,
      headers: {
        'content-type':
          reply.contentType ?? (reply.json !== undefined ? 'application/json' : 'text/html'),
      },
    });
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The real `fetch`, noting `METHOD /path` of every call in `calls` (to count MLflow requests). */
export function recordingFetch(calls: string[]): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
    return fetch(input, init);
  };
}
