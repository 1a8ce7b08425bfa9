import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../common/errors/gateway.error';
import { authConfig } from '../config/auth.config';
import { TOKEN_PREFIX } from './auth.constants';
import { unauthenticated } from './auth.errors';
import type { Principal } from './principal.model';

interface TokenClaims {
  v: 1;
  /** Name of the API key that minted the token. */
  k: string;
  u: string;
  s: string;
  /** Expiry, Unix seconds. */
  exp: number;
}

export interface MintedToken {
  token: string;
  expiresAt: string;
}

/**
 * Short-lived browser tokens: `agt_<claims>.<HMAC-SHA256>`, base64url, bound to a user and a
 * session, signed with GATEWAY_TOKEN_SECRET. Stateless, so every replica verifies them.
 */
@Injectable()
export class BrowserTokenService {
  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  get enabled(): boolean {
    return this.config.tokenSecret !== undefined;
  }

  /** Mints a token for `keyName`; 400 when ttl exceeds the maximum, 503 without a secret. */
  mint(keyName: string, userId: string, sessionId: string, ttlSeconds?: number): MintedToken {
    const secret = this.requireSecret();
    const ttl = ttlSeconds ?? this.config.tokenDefaultTtlSeconds;
    if (ttl > this.config.tokenMaxTtlSeconds) {
      throw new GatewayError(
        `ttlSeconds must not be greater than ${this.config.tokenMaxTtlSeconds}`,
        {
          status: 400,
          code: 'invalid_request',
          type: 'invalid_request_error',
          param: 'ttlSeconds',
        },
      );
    }
    const exp = Math.floor(Date.now() / 1000) + ttl;
    const claims: TokenClaims = { v: 1, k: keyName, u: userId, s: sessionId, exp };
    const body = `${TOKEN_PREFIX}${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return {
      token: `${body}.${this.sign(secret, body)}`,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The principal a valid token stands for; 401 for anything tampered, malformed or expired. */
  verify(token: string): Principal {
    const secret = this.config.tokenSecret;
    if (!secret) throw unauthenticated('Browser tokens are not enabled on this arkgate');
    const dot = token.lastIndexOf('.');
    const body = token.slice(0, dot);
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(secret, body), 'base64url');
    if (dot < 0 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw unauthenticated('Invalid browser token');
    }
    const claims = this.parse(body);
    if (claims.exp <= Date.now() / 1000) throw unauthenticated('Browser token expired');
    return { kind: 'token', name: claims.k, userId: claims.u, sessionId: claims.s };
  }

  private parse(body: string): TokenClaims {
    try {
      const claims = JSON.parse(
        Buffer.from(body.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'),
      ) as TokenClaims;
      if (claims.v === 1 && typeof claims.exp === 'number' && claims.k && claims.u && claims.s) {
        return claims;
      }
    } catch {
      // falls through to the 401 below
    }
    throw unauthenticated('Invalid browser token');
  }

  private sign(secret: string, body: string): string {
    return createHmac('sha256', secret).update(body).digest('base64url');
  }

  private requireSecret(): string {
    const secret = this.config.tokenSecret;
    if (secret) return secret;
    throw new GatewayError('Browser tokens are disabled: set GATEWAY_TOKEN_SECRET', {
      status: 503,
      code: 'tokens_not_configured',
      type: 'service_unavailable_error',
    });
  }
}
