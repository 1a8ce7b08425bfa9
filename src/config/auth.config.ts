import { configNamespace } from './config-namespace';
import { redisTopologyOf } from './redis-topology';

/** Client authentication, browser tokens and per-key rate limits of the /v1 routes. */
export const authConfig = configNamespace('auth', (env) => {
  if (env.GATEWAY_TOKEN_SECRET !== undefined && env.GATEWAY_TOKEN_SECRET.length < 32) {
    throw new Error('Invalid configuration: GATEWAY_TOKEN_SECRET must be at least 32 characters');
  }
  return {
    apiKeys: env.GATEWAY_API_KEYS,
    disabled: env.GATEWAY_AUTH === 'off',
    tokenSecret: env.GATEWAY_TOKEN_SECRET,
    tokenMaxTtlSeconds: env.GATEWAY_TOKEN_MAX_TTL_SECONDS,
    tokenDefaultTtlSeconds: Math.min(
      env.GATEWAY_TOKEN_DEFAULT_TTL_SECONDS,
      env.GATEWAY_TOKEN_MAX_TTL_SECONDS,
    ),
    rpm: env.RATE_LIMIT_RPM,
    tpm: env.RATE_LIMIT_TPM,
    redis: redisTopologyOf(env),
  };
});
