import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { freePort as closedPort } from '../support/child-services';
import { MODEL } from './chat.fixtures';
import { getJson, Json } from './json.client';

const API_KEY = 'sk-playground-e2e';
const TOKEN_SECRET = 'playground-e2e-secret-of-at-least-32-chars';

describe('The playground at /playground', () => {
  describe('with auth off and MLFLOW_UI_URL set', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: {
          ARK_DEFAULT_MODEL: MODEL,
          MLFLOW_TRACKING_URI: `http://127.0.0.1:${await closedPort()}`,
          MLFLOW_UI_URL: 'https://mlflow.example.com/',
        },
      });
    });

    afterAll(() => sut.close());

    it.each(['/playground', '/playground/', '/playground/index.html'])(
      'serves the page at %s (following redirects) as HTML under the Content-Security-Policy, never cached stale',
      async (path) => {
        const response = await fetch(`${sut.url}${path}`);
        const html = await response.text();

        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(response.headers.get('cache-control')).toBe('no-cache');
        expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
        expect(html).toContain('<script type="module" src="/playground/app.js"></script>');
        expect(html).toContain('href="/playground/app.css"');
        // An empty icon, so the browser does not ask for /favicon.ico (a 404).
        expect(html).toContain('<link rel="icon" href="data:," />');
      },
    );

    it('redirects /playground to /playground/, where the page is', async () => {
      const response = await fetch(`${sut.url}/playground`, { redirect: 'manual' });
      await response.text();

      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe('/playground/');
    });

    it('has no inline script or inline event handler, which the CSP would block', async () => {
      const html = await (await fetch(`${sut.url}/playground`)).text();
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];

      expect(scripts).toHaveLength(1);
      expect(scripts[0][1]).toContain('src=');
      expect(scripts[0][2].trim()).toBe('');
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    });

    it('gives the elements browser tests drive a stable data-testid', async () => {
      const html = await (await fetch(`${sut.url}/playground`)).text();
      const script = await (await fetch(`${sut.url}/playground/app.js`)).text();

      for (const id of [
        'api-key-input',
        'api-key-save',
        'model-select',
        'prompt-select',
        'message-input',
        'send-button',
        'usage',
        'trace-link',
        'feedback-up',
        'feedback-down',
        'feedback-status',
        'error-banner',
        'stop-button',
      ]) {
        expect([id, html.includes(`data-testid="${id}"`)]).toEqual([id, true]);
      }
      // Created per reply by the script.
      expect(script).toContain("dataset.testid = 'assistant-message'");
      expect(script).toContain("dataset.testid = 'user-message'");
    });

    it.each([
      ['/playground/app.js', /^(text|application)\/javascript/],
      ['/playground/app.css', /^text\/css/],
    ])('serves %s with its content type and an ETag', async (path, type) => {
      const response = await fetch(`${sut.url}${path}`);
      await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(type);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('etag')).toBeTruthy();
    });

    it('answers 404 for a file that is not one of its assets', async () => {
      const missing = await fetch(`${sut.url}/playground/nope.js`);
      const outside = await fetch(`${sut.url}/playground/..%2f..%2fpackage.json`);
      await Promise.all([missing.text(), outside.text()]);

      expect(missing.status).toBe(404);
      expect(outside.status).toBe(404);
    });

    it('reports auth off, the MLflow UI URL and the default model in config.json', async () => {
      const answer = await getJson(`${sut.url}/playground/config.json`);

      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({
        authRequired: false,
        tokensEnabled: false,
        tracingEnabled: false,
        mlflowUiUrl: 'https://mlflow.example.com',
        experimentName: 'BytePlus',
        experimentId: null,
        defaultModel: MODEL,
        keyHint: null,
      });
    });

    it('stays out of the API document', async () => {
      const document: Json = (await getJson(`${sut.url}/docs-json`)).body;

      expect(Object.keys(document.paths).filter((path) => path.includes('playground'))).toEqual([]);
    });
  });

  describe('with API keys, browser tokens and tracing on', () => {
    let sut: ArkgateHarness;
    let trackingUri: string;

    beforeAll(async () => {
      trackingUri = `http://127.0.0.1:${await closedPort()}`;
      sut = await startArkgate({
        env: {
          ARK_DEFAULT_MODEL: MODEL,
          GATEWAY_AUTH: 'on',
          GATEWAY_API_KEYS: `web:${API_KEY}`,
          GATEWAY_TOKEN_SECRET: TOKEN_SECRET,
          TRACING_ENABLED: 'true',
          MLFLOW_TRACKING_URI: trackingUri,
        },
      });
    });

    afterAll(() => sut.close());

    it('serves the page, its assets and config.json without credentials and without a trace', async () => {
      const traced = await fetch(`${sut.url}/v1/models`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      await traced.text();
      // What a traced route answers with, and the playground does not.
      expect(traced.headers.get('x-mlflow-trace-id')).toMatch(/^tr-/);
      for (const path of ['/playground', '/playground/app.js', '/playground/config.json']) {
        const response = await fetch(`${sut.url}${path}`);
        await response.text();

        expect([path, response.status]).toEqual([path, 200]);
        expect([path, response.headers.get('x-mlflow-trace-id')]).toEqual([path, null]);
      }
    });

    it('reports auth and tokens on, and the tracking URI as the MLflow UI', async () => {
      const answer = await getJson(`${sut.url}/playground/config.json`);

      expect(answer.body).toMatchObject({
        authRequired: true,
        tokensEnabled: true,
        tracingEnabled: true,
        mlflowUiUrl: trackingUri,
        experimentId: null,
      });
    });

    it('keeps the prompt list behind an API key', async () => {
      const anonymous = await getJson(`${sut.url}/v1/prompts`);

      expect(anonymous.status).toBe(401);
    });
  });

  describe('with auth on but no token secret', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: { GATEWAY_AUTH: 'on', GATEWAY_API_KEYS: `web:${API_KEY}` },
      });
    });

    afterAll(() => sut.close());

    it('reports that browser tokens are off', async () => {
      const answer = await getJson(`${sut.url}/playground/config.json`);

      expect(answer.body).toMatchObject({ authRequired: true, tokensEnabled: false });
    });
  });

  describe('with PLAYGROUND_ENABLED=false', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({ env: { PLAYGROUND_ENABLED: 'false' } });
    });

    afterAll(() => sut.close());

    it.each([
      '/playground',
      '/playground/',
      '/playground/app.js',
      '/playground/app.css',
      '/playground/config.json',
    ])('answers %s with 404', async (path) => {
      const response = await fetch(`${sut.url}${path}`);
      await response.text();

      expect(response.status).toBe(404);
    });
  });
});
