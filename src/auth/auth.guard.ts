import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyStore } from './api-key.store';
import { ACCESS_TOKEN_QUERY, TOKEN_PREFIX, TOKEN_ROUTES } from './auth.constants';
import { tokenNotAllowed, unauthenticated } from './auth.errors';
import { AuthPolicy } from './auth.policy';
import { BrowserTokenService } from './browser-token.service';
import type { Principal } from './principal.model';
import { BudgetService } from '../budgets/budget.service';
import { RateLimiter } from './rate-limiter';

const QUERY_TOKEN_ROUTE = 'GET /v1/chat/stream';

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** `Authorization: Bearer <credential>`, else `x-api-key`. */
function presentedCredential(request: FastifyRequest): string | undefined {
  const authorization = headerValue(request.headers.authorization);
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? headerValue(request.headers['x-api-key']);
}

/**
 * Every /v1 route needs an API key or, on the chat and feedback routes, a browser token.
 * Health, docs and metrics stay open. Sets `request.principal` and applies the rate limits.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly policy: AuthPolicy,
    private readonly keys: ApiKeyStore,
    private readonly tokens: BrowserTokenService,
    private readonly limiter: RateLimiter,
    private readonly budgets: BudgetService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const path = request.routeOptions?.url ?? request.url.split('?')[0];
    if (!path.startsWith('/v1')) return true;
    const route = `${request.method} ${path}`;
    // Taken out before validation and tracing see the query, whether auth is on or off.
    const queryToken = this.takeQueryToken(request);
    if (this.policy.disabled) return true;
    if (this.keys.size === 0) {
      throw unauthenticated(
        'arkgate has no API keys configured: set GATEWAY_API_KEYS, or GATEWAY_AUTH=off to accept requests without keys',
      );
    }
    const credential =
      presentedCredential(request) ?? (route === QUERY_TOKEN_ROUTE ? queryToken : undefined);
    if (!credential) {
      throw unauthenticated(
        'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>"',
      );
    }
    const principal = this.authenticate(credential, route);
    request.principal = principal;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // Both stores are asked at once (one Redis round trip of wait); the rate limit answers first.
    const [rate, budget] = await Promise.allSettled([
      this.limiter.admit(principal, reply),
      this.budgets.admit(principal, route, reply),
    ]);
    if (rate.status === 'rejected') throw rate.reason;
    if (budget.status === 'rejected') throw budget.reason;
    return true;
  }

  private authenticate(credential: string, route: string): Principal {
    if (credential.startsWith(TOKEN_PREFIX)) {
      const principal = this.tokens.verify(credential);
      if (!TOKEN_ROUTES.has(route)) throw tokenNotAllowed(route);
      return principal;
    }
    const entry = this.keys.find(credential);
    if (!entry) throw unauthenticated('Invalid API key');
    return { kind: 'key', name: entry.name };
  }

  private takeQueryToken(request: FastifyRequest): string | undefined {
    const query = request.query as Record<string, unknown> | undefined;
    if (!query || !(ACCESS_TOKEN_QUERY in query)) return undefined;
    const value = query[ACCESS_TOKEN_QUERY];
    delete query[ACCESS_TOKEN_QUERY];
    const token = Array.isArray(value) ? value[0] : value;
    return typeof token === 'string' && token.startsWith(TOKEN_PREFIX) ? token : undefined;
  }
}
