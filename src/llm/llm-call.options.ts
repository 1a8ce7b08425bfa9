import type { FastifyReply } from 'fastify';
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
      scope: reply.request.principal?.name ?? ANONYMOUS_SCOPE,
      directive: Array.isArray(header) ? header[0] : header,
    },
  };
}
