import type { ConfigType } from '@nestjs/config';
import type { authConfig } from '../config/auth.config';
import { BrowserTokenService } from './browser-token.service';

const SECRET = 's'.repeat(32);

/** `null`: no GATEWAY_TOKEN_SECRET. */
function setup(tokenSecret: string | null = SECRET) {
  const config = {
    tokenSecret: tokenSecret ?? undefined,
    tokenMaxTtlSeconds: 600,
    tokenDefaultTtlSeconds: 300,
  } as ConfigType<typeof authConfig>;
  return { sut: new BrowserTokenService(config) };
}

describe(BrowserTokenService.name, () => {
  afterEach(() => jest.useRealTimers());

  it('verifies what it minted, as the key, user and session it was minted for', () => {
    const { sut } = setup();
    const { token } = sut.mint('web', 'user-1', 'session-1');

    expect(sut.verify(token)).toEqual({
      kind: 'token',
      name: 'web',
      userId: 'user-1',
      sessionId: 'session-1',
    });
  });

  it('expires after its ttl (default ttl when none is given)', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const { sut } = setup();
    const { token, expiresAt } = sut.mint('web', 'u', 's');

    expect(expiresAt).toBe('2026-01-01T00:05:00.000Z');
    jest.setSystemTime(new Date('2026-01-01T00:04:59Z'));
    expect(sut.verify(token).userId).toBe('u');
    jest.setSystemTime(new Date('2026-01-01T00:05:00Z'));
    expect(() => sut.verify(token)).toThrow('Browser token expired');
  });

  it('refuses a ttl above the maximum with a 400 naming ttlSeconds', () => {
    const { sut } = setup();

    expect(() => sut.mint('web', 'u', 's', 601)).toThrow(
      expect.objectContaining({ status: 400, param: 'ttlSeconds' }),
    );
  });

  it('refuses a token signed with another secret', () => {
    const { token } = setup('x'.repeat(32)).sut.mint('web', 'u', 's');

    expect(() => setup().sut.verify(token)).toThrow('Invalid browser token');
  });

  it.each(['agt_', 'agt_.', 'agt_abc', 'agt_abc.def', ''])('refuses %j with a 401', (token) => {
    expect(() => setup().sut.verify(token)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('mints nothing without a secret (503) and accepts no token', () => {
    const { sut } = setup(null);

    expect(() => sut.mint('web', 'u', 's')).toThrow(expect.objectContaining({ status: 503 }));
    expect(() => sut.verify('agt_x.y')).toThrow(expect.objectContaining({ status: 401 }));
  });
});
