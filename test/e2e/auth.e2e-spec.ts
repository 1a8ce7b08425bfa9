import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { MODEL, userSays } from './chat.fixtures';
import { getJson, Json, postJson } from './json.client';

const SERVICE_KEY = 'sk-service-0123456789';
const OTHER_KEY = 'sk-other-9876543210';
const COMPLETION = { model: MODEL, messages: userSays('Hello') };

const json = (headers: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...headers,
});

function expectAuthError(answer: { status: number; body: Json }, message: string | RegExp): void {
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual({
    error: {
      message: expect.stringMatching(message),
      type: 'authentication_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
}

describe('API keys on /v1 (GATEWAY_API_KEYS)', () => {
  describe('with keys configured', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: {
          GATEWAY_AUTH: 'on',
          GATEWAY_API_KEYS: `service:${SERVICE_KEY},other:${OTHER_KEY}`,
          ARK_DEFAULT_MODEL: MODEL,
        },
      });
    });

    afterAll(() => sut.close());

    it('answers 401 in OpenAI shape when no key is sent, and never calls ModelArk', async () => {
      sut.simulator.reset();
      const answer = await postJson(`${sut.url}/v1/chat/completions`, COMPLETION);

      expectAuthError(answer, /^Missing API key/);
      expect(sut.simulator.requests).toHaveLength(0);
    });

    it.each([
      ['Authorization: Bearer', { authorization: 'Bearer sk-wrong' }],
      ['x-api-key', { 'x-api-key': 'sk-wrong' }],
      ['Authorization without Bearer', { authorization: SERVICE_KEY }],
      ['a key one character short', { 'x-api-key': SERVICE_KEY.slice(0, -1) }],
    ])('answers 401 for a wrong key in %s', async (_, headers) => {
      const answer = await postJson(`${sut.url}/v1/chat/completions`, COMPLETION, json(headers));

      expectAuthError(answer, /^(Invalid API key|Missing API key)/);
    });

    it.each([
      ['Authorization: Bearer', { authorization: `Bearer ${SERVICE_KEY}` }],
      ['x-api-key', { 'x-api-key': OTHER_KEY }],
    ])('accepts a right key in %s', async (_, headers) => {
      const answer = await postJson(`${sut.url}/v1/chat/completions`, COMPLETION, json(headers));

      expect(answer.status).toBe(200);
      expect(answer.body.object).toBe('chat.completion');
    });

    it('guards GET routes too (/v1/models)', async () => {
      const answer = await getJson(`${sut.url}/v1/models`);

      expectAuthError(answer, /^Missing API key/);
    });

    it.each(['/health/live', '/docs-json'])('leaves %s open', async (path) => {
      const answer = await fetch(`${sut.url}${path}`);

      expect(answer.status).toBe(200);
    });

    it('documents the bearer and x-api-key schemes, and 401/429 on the LLM routes', async () => {
      const document = (await getJson(`${sut.url}/docs-json`)).body;

      expect(document.components.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      });
      expect(document.paths['/v1/chat/completions'].post.responses).toHaveProperty('401');
      expect(document.paths['/v1/chat/completions'].post.responses).toHaveProperty('429');
      expect(document.paths['/v1/tokens'].post.responses).toHaveProperty('401');
      expect(document.paths['/health/live'].get.security).toEqual([]);
      expect(document.paths['/v1/chat/stream'].get.parameters).toContainEqual(
        expect.objectContaining({ name: 'access_token', in: 'query' }),
      );
    });
  });

  describe('with keys read from a file', () => {
    let sut: ArkgateHarness;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'arkgate-keys-'));
      const file = join(dir, 'keys');
      writeFileSync(file, `# one name:key a line\nservice:${SERVICE_KEY}\n\nother:${OTHER_KEY}\n`);
      sut = await startArkgate({
        env: { GATEWAY_AUTH: 'on', GATEWAY_API_KEYS: file, ARK_DEFAULT_MODEL: MODEL },
      });
    });

    afterAll(async () => {
      await sut.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('accepts a key from the file and refuses another', async () => {
      const good = await postJson(
        `${sut.url}/v1/chat/completions`,
        COMPLETION,
        json({ 'x-api-key': OTHER_KEY }),
      );
      const bad = await postJson(
        `${sut.url}/v1/chat/completions`,
        COMPLETION,
        json({ 'x-api-key': 'other' }),
      );

      expect(good.status).toBe(200);
      expectAuthError(bad, /^Invalid API key/);
    });
  });

  describe('without keys', () => {
    it('refuses every /v1 request, saying what to set, unless GATEWAY_AUTH=off', async () => {
      const sut = await startArkgate({
        env: { GATEWAY_AUTH: undefined, ARK_DEFAULT_MODEL: MODEL },
      });
      try {
        const answer = await postJson(
          `${sut.url}/v1/chat/completions`,
          COMPLETION,
          json({ 'x-api-key': SERVICE_KEY }),
        );

        expectAuthError(answer, /set GATEWAY_API_KEYS, or GATEWAY_AUTH=off/);
        expect((await fetch(`${sut.url}/health/live`)).status).toBe(200);
      } finally {
        await sut.close();
      }
    });

    it('accepts requests without a key when GATEWAY_AUTH=off', async () => {
      const sut = await startArkgate({ env: { GATEWAY_AUTH: 'off', ARK_DEFAULT_MODEL: MODEL } });
      try {
        const answer = await postJson(`${sut.url}/v1/chat/completions`, COMPLETION);

        expect(answer.status).toBe(200);
      } finally {
        await sut.close();
      }
    });
  });
});
