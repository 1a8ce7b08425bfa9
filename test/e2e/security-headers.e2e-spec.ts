import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { MODEL } from './chat.fixtures';

const ALLOWED = 'https://app.example.com';

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });
}

describe('Security headers and CORS', () => {
  describe('without CORS_ORIGINS', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
    });

    afterAll(() => sut.close());

    it("sends helmet's headers on API answers", async () => {
      const response = await fetch(`${sut.url}/health/live`);

      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it("sends them on the router's own 400 for a malformed URL", async () => {
      const response = await fetch(`${sut.url}/v1/prompts/%zz`);

      expect(response.status).toBe(400);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    });

    it('sends no CORS headers, not even to a preflight', async () => {
      const response = await preflight(`${sut.url}/v1/chat`, ALLOWED);
      const simple = await fetch(`${sut.url}/health/live`, { headers: { origin: ALLOWED } });

      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('keeps Swagger UI loadable under its Content-Security-Policy', async () => {
      const response = await fetch(`${sut.url}/docs`);
      const html = await response.text();
      const csp = response.headers.get('content-security-policy') ?? '';
      const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
      const sources = scripts.map((attributes) => /src=["']([^"']+)["']/.exec(attributes)?.[1]);

      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toContain('upgrade-insecure-requests');
      // Every script is a same-origin file ('self' allows it); an inline one would be blocked.
      expect(sources.length).toBeGreaterThan(0);
      expect(sources).not.toContain(undefined);
      for (const source of sources) {
        const asset = await fetch(new URL(source!, `${sut.url}/docs`));
        await asset.body?.cancel();
        expect([source, asset.status]).toEqual([source, 200]);
        expect(new URL(source!, `${sut.url}/docs`).origin).toBe(sut.url);
      }
    });

    it('never puts a stack trace in an error body', async () => {
      const malformed = await fetch(`${sut.url}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"input": ',
      });
      const failed = await fetch(`${sut.url}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: 'hi', simulator: { scenario: 'error-500' } }),
      });

      for (const response of [malformed, failed]) {
        const text = await response.text();
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(JSON.parse(text)).toEqual({ error: expect.any(Object) });
        expect(text).not.toMatch(/\bat .+:\d+:\d+|\.ts:\d+|stack/);
      }
    });
  });

  describe('with CORS_ORIGINS', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: { ARK_DEFAULT_MODEL: MODEL, CORS_ORIGINS: `${ALLOWED}, https://admin.example.com` },
      });
    });

    afterAll(() => sut.close());

    it('answers a preflight from a listed origin', async () => {
      const response = await preflight(`${sut.url}/v1/chat`, ALLOWED);

      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    });

    it('lets a listed origin read the trace id header', async () => {
      const response = await fetch(`${sut.url}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://admin.example.com' },
        body: JSON.stringify({ input: 'hi' }),
      });

      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
      expect(response.headers.get('access-control-expose-headers')).toContain('x-mlflow-trace-id');
    });

    it('gives an origin not on the list no CORS headers', async () => {
      const response = await preflight(`${sut.url}/v1/chat`, 'https://evil.example.com');

      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
