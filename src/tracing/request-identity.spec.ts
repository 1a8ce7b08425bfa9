import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.model';
import { requestIdentity } from './request-identity';

const claimed = {
  headers: { 'x-user-id': 'claimed-user', 'x-session-id': 'claimed-session' },
  body: { userId: 'body-user', sessionId: 'body-session' },
  query: {},
};

const request = (principal?: Principal) => ({ ...claimed, principal }) as unknown as FastifyRequest;

describe('requestIdentity', () => {
  it('takes user and session from a browser token, whatever the request claims', () => {
    const principal: Principal = { kind: 'token', name: 'web', userId: 'u-t', sessionId: 's-t' };

    expect(requestIdentity(request(principal))).toEqual({ userId: 'u-t', sessionId: 's-t' });
  });

  it('keeps what an API key caller sends', () => {
    expect(requestIdentity(request({ kind: 'key', name: 'svc' }))).toEqual({
      userId: 'claimed-user',
      sessionId: 'claimed-session',
    });
  });
});
