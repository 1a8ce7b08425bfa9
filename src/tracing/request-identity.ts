import type { FastifyRequest } from 'fastify';
import type {} from '../auth/principal.model';

export interface RequestIdentity {
  sessionId?: string;
  userId?: string;
}

const MAX_ID_LENGTH = 250;

function pick(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    const value = Array.isArray(candidate) ? candidate[0] : candidate;
    if (typeof value === 'string' && value.trim() !== '')
      return value.trim().slice(0, MAX_ID_LENGTH);
  }
  return undefined;
}

/**
 * Session and user of a request. A browser token's (see `request.principal`) win over anything
 * the request claims; otherwise headers `X-Session-Id` / `X-User-Id` first, then the body or
 * query fields `sessionId` / `userId`, then OpenAI's `user` field.
 */
export function requestIdentity(request: FastifyRequest): RequestIdentity {
  const body = (
    typeof request.body === 'object' && request.body !== null ? request.body : {}
  ) as Record<string, unknown>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const principal = request.principal;
  if (principal?.kind === 'token') {
    return { sessionId: principal.sessionId, userId: principal.userId };
  }
  return {
    sessionId: pick(request.headers['x-session-id'], body.sessionId, query.sessionId),
    userId: pick(request.headers['x-user-id'], body.userId, query.userId, body.user),
  };
}
