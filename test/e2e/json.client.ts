import { request as httpRequest } from 'node:http';

/** A parsed JSON body: the specs check its shape with `expect`, so it is left untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A JSON answer as the e2e specs read it: status, headers and the parsed body. */
export interface JsonAnswer<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

async function read<T>(response: Response): Promise<JsonAnswer<T>> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
  };
}

/** POSTs `body` (JSON-encoded unless it is a string) and reads the answer as JSON. */
export async function postJson<T = Json>(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<JsonAnswer<T>> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return read<T>(await fetch(url, { method: 'POST', headers, body: payload }));
}

/** GETs `url` and reads the answer as JSON. */
export async function getJson<T = Json>(url: string): Promise<JsonAnswer<T>> {
  return read<T>(await fetch(url));
}

/** Sends a JSON POST without waiting for the answer; returns a function that hangs up. */
export function postAndHold(url: string, body: unknown): () => void {
  const payload = JSON.stringify(body);
  const req = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
  });
  req.on('error', () => undefined);
  req.end(payload);
  return () => req.destroy();
}
