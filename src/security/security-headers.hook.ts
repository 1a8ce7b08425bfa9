import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { SECURITY_HEADERS } from './security-headers.options';

/**
 * The headers helmet sets under `options`, read once by running its middleware against a
 * recorder. Valid for a policy without per-request parts (no nonce functions), as arkgate's is.
 */
export function securityHeadersOf(options: HelmetOptions): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let failure: Error | undefined;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) failure = error instanceof Error ? error : new Error(JSON.stringify(error));
  });
  if (failure) throw failure;
  return [...headers];
}

let appHeaders: readonly (readonly [string, string])[] | undefined;

/** arkgate's security headers (SECURITY_HEADERS), computed on first use. */
export function appSecurityHeaders(): readonly (readonly [string, string])[] {
  return (appHeaders ??= securityHeadersOf(SECURITY_HEADERS));
}

/**
 * Helmet's headers on every answer the router hands on (the answers Fastify's router gives
 * itself set them in `answerFrameworkError`). They are computed once, as the app is built: a
 * request only pays for setting them, not for helmet's chain of a dozen middlewares called
 * through `next` (about 45 µs of CPU per request measured under load).
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  const headers = appSecurityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
