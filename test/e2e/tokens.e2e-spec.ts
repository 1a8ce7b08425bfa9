import { createHmac } from 'node:crypto';
import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { Json, postJson } from './json.client';

const API_KEY = 'sk-web-backend-0123456789';
const SECRET = 'a-test-secret-that-is-at-least-32-chars';
const TRACE_ID = 'tr-4bf92f3577b34da6a3ce929d0e0e4736';

const withKey = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
const bearer = (token: string) => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
});

/** A token as arkgate signs it, with claims the test chooses (e.g. an expiry in the past). */
function forge(claims: object, secret = SECRET): string {
  const body = `agt_${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function expectError(answer: { status: number; body: Json }, status: number, type: string) {
  expect(answer.status).toBe(status);
  expect(answer.body.error).toMatchObject({ type, param: null });
}

describe('Browser tokens (POST /v1/tokens)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({
      env: {
        GATEWAY_AUTH: 'on',
        GATEWAY_API_KEYS: `web:${API_KEY}`,
        GATEWAY_TOKEN_SECRET: SECRET,
        GATEWAY_TOKEN_MAX_TTL_SECONDS: '600',
        ARK_DEFAULT_MODEL: MODEL,
        MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
      },
    });
  });

  afterAll(() => sut.close());

  const mint = async (body: object = { userId: 'user-42', sessionId: 'session-7' }) => {
    const answer = await postJson(`${sut.url}/v1/tokens`, body, withKey);
    expect(answer.status).toBe(200);
    return answer.body as { token: string; expiresAt: string };
  };

  describe('minting', () => {
    it('returns a signed token and its expiry for a caller with an API key', async () => {
      const { token, expiresAt } = await mint({ userId: 'u', sessionId: 's', ttlSeconds: 60 });

      expect(token).toMatch(/^agt_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    });

    it('answers 401 without an API key', async () => {
      const answer = await postJson(`${sut.url}/v1/tokens`, { userId: 'u', sessionId: 's' });

      expectError(answer, 401, 'authentication_error');
    });

    it('answers 403 to a token trying to mint another', async () => {
      const { token } = await mint();
      const answer = await postJson(
        `${sut.url}/v1/tokens`,
        { userId: 'someone-else', sessionId: 's' },
        bearer(token),
      );

      expectError(answer, 403, 'permission_error');
      expect(answer.body.error.code).toBe('token_not_allowed');
    });

    it.each([
      [{ sessionId: 's' }, 'userId'],
      [{ userId: 'u' }, 'sessionId'],
      [{ userId: 'u', sessionId: 's', ttlSeconds: 601 }, 'ttlSeconds'],
      [{ userId: 'u', sessionId: 's', ttlSeconds: 0 }, 'ttlSeconds'],
    ])('answers 400 to %j naming %s', async (body, param) => {
      const answer = await postJson(`${sut.url}/v1/tokens`, body, withKey);

      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
    });
  });

  describe('using a token', () => {
    it('calls POST /v1/chat', async () => {
      const { token } = await mint();
      const answer = await postJson(`${sut.url}/v1/chat`, { input: 'Hi' }, bearer(token));

      expect(answer.status).toBe(200);
      expect(answer.body.content).toContain('Hi');
    });

    it('posts feedback on a trace', async () => {
      const { token } = await mint();
      const answer = await postJson(
        `${sut.url}/v1/traces/${TRACE_ID}/feedback`,
        { value: true },
        bearer(token),
      );

      expect(answer.status).toBe(202);
    });

    it.each([
      ['POST', '/v1/chat/completions', { model: MODEL, messages: userSays('Hi') }],
      ['POST', '/v1/embeddings', { model: MODEL, input: 'Hi' }],
      ['GET', '/v1/models', undefined],
    ])('is refused with 403 on %s %s (API-key-only route)', async (method, path, body) => {
      const { token } = await mint();
      sut.simulator.reset();
      const response = await fetch(`${sut.url}${path}`, {
        method,
        headers: bearer(token),
        body: body && JSON.stringify(body),
      });

      expectError(
        { status: response.status, body: await response.json() },
        403,
        'permission_error',
      );
      expect(sut.simulator.requests).toHaveLength(0);
    });

    it('is refused with 401 once expired', async () => {
      const expired = forge({ v: 1, k: 'web', u: 'u', s: 's', exp: 1_700_000_000 });
      const answer = await postJson(`${sut.url}/v1/chat`, { input: 'Hi' }, bearer(expired));

      expectError(answer, 401, 'authentication_error');
      expect(answer.body.error.message).toBe('Browser token expired');
    });

    it('is refused with 401 when its claims were changed', async () => {
      const { token } = await mint();
      const [body, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(body.slice(4), 'base64url').toString());
      const tampered = `agt_${Buffer.from(JSON.stringify({ ...claims, u: 'admin' })).toString('base64url')}.${signature}`;
      const answer = await postJson(`${sut.url}/v1/chat`, { input: 'Hi' }, bearer(tampered));

      expectError(answer, 401, 'authentication_error');
      expect(answer.body.error.message).toBe('Invalid browser token');
    });

    it.each([
      [
        'signed with another secret',
        forge({ v: 1, k: 'web', u: 'u', s: 's', exp: 4e9 }, 'x'.repeat(32)),
      ],
      ['without a signature', 'agt_eyJ2IjoxfQ'],
      ['that is garbage', 'agt_%%%.%%%'],
    ])('is refused with 401 when %s', async (_, token) => {
      const answer = await postJson(`${sut.url}/v1/chat`, { input: 'Hi' }, bearer(token));

      expectError(answer, 401, 'authentication_error');
    });

    it('streams GET /v1/chat/stream with ?access_token= (EventSource)', async () => {
      const { token } = await mint();
      const stream = await openSse(
        `${sut.url}/v1/chat/stream?input=Hello&access_token=${encodeURIComponent(token)}`,
      );
      const events = (await stream.readUntilTerminal()).filter((m) => m.comment === undefined);

      expect(stream.status).toBe(200);
      expect(events.at(-1)?.event).toBe('done');
      expect(dataOf(events.at(-1)!)).toMatchObject({ usage: { totalTokens: expect.any(Number) } });
      const text = events
        .filter((event) => event.event === 'delta')
        .map((event) => dataOf<{ content?: string }>(event).content ?? '')
        .join('');
      expect(text).toContain('Hello');
    });

    it('does not forward access_token to ModelArk', async () => {
      const { token } = await mint();
      sut.simulator.reset();
      const stream = await openSse(`${sut.url}/v1/chat/stream?input=Hi&access_token=${token}`);
      await stream.readUntilTerminal();

      expect(JSON.stringify(sut.simulator.requests)).not.toContain(token);
    });

    it('streams POST /v1/chat/stream with the token as Bearer', async () => {
      const { token } = await mint();
      const stream = await openSse(`${sut.url}/v1/chat/stream`, {
        body: { input: 'Hello' },
        headers: { authorization: `Bearer ${token}` },
      });
      const events = await stream.readUntilTerminal();

      expect(stream.status).toBe(200);
      expect(events.at(-1)?.event).toBe('done');
    });

    it.each([
      [
        'an API key in access_token',
        () => `/v1/chat/stream?input=Hi&access_token=${API_KEY}`,
        'GET',
      ],
      ['access_token on the POST route', () => `/v1/chat/stream?access_token=TOKEN`, 'POST'],
    ])('is refused with 401: %s', async (_, path, method) => {
      const { token } = await mint();
      const response = await fetch(`${sut.url}${path().replace('TOKEN', token)}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ input: 'Hi' }) : undefined,
      });

      expect(response.status).toBe(401);
    });
  });

  describe('without GATEWAY_TOKEN_SECRET', () => {
    let plain: ArkgateHarness;

    beforeAll(async () => {
      plain = await startArkgate({
        env: { GATEWAY_AUTH: 'on', GATEWAY_API_KEYS: `web:${API_KEY}`, ARK_DEFAULT_MODEL: MODEL },
      });
    });

    afterAll(() => plain.close());

    it('answers 503 to minting, and 401 to any token', async () => {
      const minted = await postJson(
        `${plain.url}/v1/tokens`,
        { userId: 'u', sessionId: 's' },
        withKey,
      );
      const used = await postJson(
        `${plain.url}/v1/chat`,
        { input: 'Hi' },
        bearer(forge({ v: 1, k: 'web', u: 'u', s: 's', exp: 4e9 })),
      );

      expectError(minted, 503, 'service_unavailable_error');
      expect(minted.body.error.message).toContain('GATEWAY_TOKEN_SECRET');
      expectError(used, 401, 'authentication_error');
    });
  });
});
