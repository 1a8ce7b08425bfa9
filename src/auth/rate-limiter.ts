import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../common/errors/gateway.error';
import { authConfig } from '../config/auth.config';
import { ThrottledLogger } from '../logging/throttled.logger';
import { ApiKeyStore } from './api-key.store';
import { RATE_LIMIT_STORE } from './auth.constants';
import type { Principal } from './principal.model';
import { WINDOW_MS, type RateLimitStore } from './rate-limit.store';

const LOG_EVERY_MS = 10_000;

/**
 * Requests and reported tokens per minute per API key (a browser token counts against the key
 * that minted it). Sets OpenAI's `x-ratelimit-*` headers; refuses with 429 and `retry-after`.
 * A failing store lets requests through and is logged.
 */
@Injectable()
export class RateLimiter {
  private readonly failures = new ThrottledLogger(RateLimiter.name, LOG_EVERY_MS);

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly keys: ApiKeyStore,
  ) {}

  /** The limits of a key: its own when configured, else RATE_LIMIT_RPM / RATE_LIMIT_TPM. */
  limitsOf(principal: Principal): { rpm: number; tpm: number } {
    const entry = this.keys.byName(principal.name);
    return { rpm: entry?.rpm ?? this.config.rpm, tpm: entry?.tpm ?? this.config.tpm };
  }

  /** Counts the request; throws 429 when a limit of the current minute is reached. */
  async admit(principal: Principal, reply: FastifyReply): Promise<void> {
    const { rpm, tpm } = this.limitsOf(principal);
    if (rpm === 0 && tpm === 0) return;
    const now = Date.now();
    const windowStart = now - (now % WINDOW_MS);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    let counts;
    try {
      counts = await this.store.hit(principal.name, windowStart, rpm, tpm);
    } catch (error) {
      this.logFailure(error);
      return;
    }
    if (rpm > 0) {
      void reply.header('x-ratelimit-limit-requests', String(rpm));
      void reply.header(
        'x-ratelimit-remaining-requests',
        String(Math.max(0, rpm - counts.requests)),
      );
      void reply.header('x-ratelimit-reset-requests', `${resetSeconds}s`);
    }
    if (tpm > 0) {
      void reply.header('x-ratelimit-limit-tokens', String(tpm));
      void reply.header('x-ratelimit-remaining-tokens', String(Math.max(0, tpm - counts.tokens)));
      void reply.header('x-ratelimit-reset-tokens', `${resetSeconds}s`);
    }
    if (counts.allowed) return;
    const what = rpm > 0 && counts.requests >= rpm ? `${rpm} requests` : `${tpm} tokens`;
    throw new GatewayError(
      `Rate limit of ${what} per minute reached for API key "${principal.name}"; retry after ${resetSeconds}s`,
      {
        status: 429,
        code: 'rate_limit_exceeded',
        type: 'rate_limit_error',
        retryAfter: String(resetSeconds),
      },
    );
  }

  /** Counts reported usage against the current minute (so it limits the calls that follow). */
  async record(principal: Principal, tokens: number): Promise<void> {
    if (tokens <= 0 || this.limitsOf(principal).tpm === 0) return;
    const now = Date.now();
    try {
      await this.store.addTokens(principal.name, now - (now % WINDOW_MS), tokens);
    } catch (error) {
      this.logFailure(error);
    }
  }

  private logFailure(error: unknown): void {
    this.failures.warn(
      `Rate limit store unavailable, letting requests through: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
