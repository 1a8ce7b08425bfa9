import { loadConfig } from './arkgate.config';

describe('authConfig', () => {
  const auth = (env: Record<string, string> = {}) => loadConfig(env).auth;

  it('is on by default, with no keys, no tokens and no limits', () => {
    expect(auth()).toMatchObject({
      disabled: false,
      apiKeys: undefined,
      tokenSecret: undefined,
      tokenMaxTtlSeconds: 3600,
      tokenDefaultTtlSeconds: 900,
      rpm: 0,
      tpm: 0,
    });
  });

  it('is off only for an explicit GATEWAY_AUTH=off (any case)', () => {
    expect(auth({ GATEWAY_AUTH: 'OFF' }).disabled).toBe(true);
  });

  it('refuses a short token secret without printing it', () => {
    const env = { GATEWAY_TOKEN_SECRET: 'short-secret' };

    expect(() => auth(env)).toThrow('GATEWAY_TOKEN_SECRET must be at least 32 characters');
    expect(() => auth(env)).not.toThrow(/short-secret/);
  });

  it('caps the default ttl at the maximum', () => {
    expect(auth({ GATEWAY_TOKEN_MAX_TTL_SECONDS: '60' }).tokenDefaultTtlSeconds).toBe(60);
  });
});
