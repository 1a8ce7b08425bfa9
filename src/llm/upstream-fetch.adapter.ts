import { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { BufferedResponse } from './buffered.response';

/** A body undici's `request` sends as it is; anything else goes through `fetch`. */
function isPlainBody(body: unknown): body is string | Uint8Array | undefined | null {
  return (
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array
  );
}

function toHeaderRecord(headers: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  const record: Record<string, string> = {};
  // The SDK hands over a Headers object: read it as it is rather than copying it first.
  const source = headers instanceof Headers ? headers : new Headers(headers);
  source.forEach((value, name) => (record[name] = value));
  return record;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * An abort reason from another realm (a VM context, as under Jest) is not `instanceof Error` there,
 * and the SDK would lose its `AbortError` name (a timeout would read as a connection error).
 */
function sameRealmError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const { name, message, cause } = error as Error;
  return Object.assign(new Error(message, { cause }), { name });
}

/**
 * A `fetch` for the OpenAI SDK built on undici's `request`, which costs far less per call than
 * the WHATWG `fetch` (measured: about 150 µs of CPU per chat completion). JSON answers are read
 * whole before the Response is handed over; event streams are passed through as they arrive.
 * Requests it cannot express (streamed or form bodies) go to the global `fetch`.
 */
export function createUpstreamFetch(dispatcher: Dispatcher): typeof fetch {
  return async (input, init) => {
    if (!isPlainBody(init?.body) || typeof input !== 'string') return fetch(input, init);
    const answer = await request(input, {
      method: init?.method ?? 'GET',
      headers: toHeaderRecord(init?.headers),
      body: init?.body ?? undefined,
      signal: init?.signal ?? undefined,
      dispatcher,
    }).catch((error: unknown) => {
      throw sameRealmError(error);
    });
    const headers = toHeaders(answer.headers);
    const status = answer.statusCode;
    if (status === 204 || status === 304) {
      answer.body.resume();
      return new Response(null, { status, headers });
    }
    if (headers.get('content-type')?.includes('text/event-stream')) {
      return new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, {
        status,
        headers,
      });
    }
    return new BufferedResponse(new Uint8Array(await answer.body.arrayBuffer()), {
      status,
      headers,
    });
  };
}
