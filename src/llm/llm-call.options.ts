import type { FastifyReply } from 'fastify';
import type { Principal } from '../auth/principal.model';
import { CACHE_HEADER } from '../cache/response-cache.model';
import { clientAbortSignal } from '../common/http/client-abort.signal';
import type { LlmCallOptions } from './llm-call.model';

/** With auth off every caller shares one scope of the response cache. */
const ANONYMOUS_SCOPE = 'anonymous';

/**
 * What a route hands the LLM layer about its request: the signal of the caller going away, and
 * the caller's scope and `x-arkgate-cache` header for the response cache.
 */
export function llmCallOptions(reply: FastifyReply): LlmCallOptions {
  const header = reply.request.headers[CACHE_HEADER];
  return {
    signal: clientAbortSignal(reply),
    cache: {
      scope: cacheScope(reply.request.principal),
      directive: Array.isArray(header) ? header[0] : header,
    },
  };
}

/** The key's name; for a browser token, also the user it was minted for. */
function cacheScope(principal: Principal | undefined): string {
  if (!principal) return ANONYMOUS_SCOPE;
  if (principal.kind === 'token' && principal.userId)
    return `${principal.name}\nuser:${principal.userId}`;
  return principal.name;
}
