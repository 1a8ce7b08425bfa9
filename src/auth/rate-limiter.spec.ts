import type { FastifyReply } from 'fastify';
import type { ConfigType } from '@nestjs/config';
import type { authConfig } from '../config/auth.config';
import { ApiKeyStore } from './api-key.store';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import type { RateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter';

function setup(store: RateLimitStore, limits: { rpm: number; tpm: number }) {
  const config = { ...limits } as ConfigType<typeof authConfig>;
  const keys = new ApiKeyStore([
    { name: 'svc', key: 'k1' },
    { name: 'vip', key: 'k2', rpm: 0, tpm: 0 },
  ]);
  const headers: Record<string, string> = {};
  const reply = {
    header: (name: string, value: string) => {
      headers[name] = value;
      return reply;
    },
  } as unknown as FastifyReply;
  return { sut: new RateLimiter(config, store, keys), reply, headers };
}

describe(RateLimiter.name, () => {
  const svc = { kind: 'key' as const, name: 'svc' };

  it('lets requests through when the store fails (fail open)', async () => {
    const failing: RateLimitStore = {
      hit: () => Promise.reject(new Error('Connection is closed.')),
      addTokens: () => Promise.reject(new Error('Connection is closed.')),
    };
    const { sut, reply, headers } = setup(failing, { rpm: 1, tpm: 1 });

    await expect(sut.admit(svc, reply)).resolves.toBeUndefined();
    await expect(sut.admit(svc, reply)).resolves.toBeUndefined();
    await expect(sut.record(svc, 100)).resolves.toBeUndefined();
    expect(headers).toEqual({});
  });

  it('refuses the request after the limit with a 429 GatewayError carrying retry-after', async () => {
    const { sut, reply } = setup(new MemoryRateLimitStore(), { rpm: 1, tpm: 0 });
    await sut.admit(svc, reply);

    await expect(sut.admit(svc, reply)).rejects.toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      retryAfter: expect.stringMatching(/^\d+$/),
    });
  });

  it('counts a token principal against the key that minted it', async () => {
    const { sut, reply } = setup(new MemoryRateLimitStore(), { rpm: 1, tpm: 0 });
    await sut.admit(svc, reply);

    await expect(
      sut.admit({ kind: 'token', name: 'svc', userId: 'u', sessionId: 's' }, reply),
    ).rejects.toMatchObject({ status: 429 });
  });

  it('applies per-key overrides (0 = unlimited)', async () => {
    const { sut, reply, headers } = setup(new MemoryRateLimitStore(), { rpm: 1, tpm: 1 });
    const vip = { kind: 'key' as const, name: 'vip' };
    await sut.admit(vip, reply);
    await sut.record(vip, 50);

    await expect(sut.admit(vip, reply)).resolves.toBeUndefined();
    expect(headers).toEqual({});
  });
});
