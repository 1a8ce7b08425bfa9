import { authConfig } from './auth.config';

describe('authConfig', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  it('is on by default, with no keys, no tokens and no limits', () => {
    delete process.env.GATEWAY_AUTH;
    delete process.env.GATEWAY_API_KEYS;
    delete process.env.GATEWAY_TOKEN_SECRET;
    delete process.env.RATE_LIMIT_RPM;
    delete process.env.RATE_LIMIT_TPM;

    expect(authConfig()).toMatchObject({
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
    process.env.GATEWAY_AUTH = 'OFF';

    expect(authConfig().disabled).toBe(true);
  });

  it('refuses a short token secret without printing it', () => {
    process.env.GATEWAY_TOKEN_SECRET = 'short-secret';

    expect(() => authConfig()).toThrow('GATEWAY_TOKEN_SECRET must be at least 32 characters');
    expect(() => authConfig()).not.toThrow(/short-secret/);
  });

  it('caps the default ttl at the maximum', () => {
    process.env.GATEWAY_TOKEN_MAX_TTL_SECONDS = '60';

    expect(authConfig().tokenDefaultTtlSeconds).toBe(60);
  });
});
