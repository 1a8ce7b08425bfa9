import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { SECURITY_HEADERS } from './security-headers.options';

/**
 * Helmet's headers on every answer. The middleware is built once, so a request only pays for
 * setting the headers (not for re-reading the policy, as a per-route helmet would).
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  const applyHeaders = helmet(SECURITY_HEADERS);
  fastify.addHook('onRequest', (request, reply, done) =>
    applyHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );
}
