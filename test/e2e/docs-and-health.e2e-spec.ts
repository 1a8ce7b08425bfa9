import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { getJson, Json, postJson } from './json.client';

const ERROR_SCHEMA = '#/components/schemas/OpenAiErrorDto';

/** Every route arkgate serves, as the API document must list it. */
const ROUTES: Array<[string, string]> = [
  ['/v1/chat/completions', 'post'],
  ['/v1/models', 'get'],
  ['/v1/chat', 'post'],
  ['/v1/chat/stream', 'post'],
  ['/v1/chat/stream', 'get'],
  ['/health/live', 'get'],
  ['/health/ready', 'get'],
];

const LLM_ROUTES = ROUTES.filter(([path]) => path.startsWith('/v1/'));

describe('API docs and health', () => {
  describe('a configured arkgate', () => {
    let sut: ArkgateHarness;
    let document: Json;

    beforeAll(async () => {
      sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
      document = (await getJson(`${sut.url}/docs-json`)).body;
    });

    afterAll(() => sut.close());

    it('serves Swagger UI at /docs', async () => {
      const response = await fetch(`${sut.url}/docs`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('swagger-ui');
    });

    it('serves an OpenAPI document at /docs-json', () => {
      expect(document.openapi).toMatch(/^3\./);
      expect(document.info.title).toBe('arkgate');
    });

    it.each(ROUTES)('documents %s %s', (path, method) => {
      expect(document.paths[path]?.[method]).toEqual(
        expect.objectContaining({ responses: expect.any(Object) }),
      );
    });

    it('serves every route it documents', async () => {
      const documented = Object.entries(document.paths as Record<string, object>).flatMap(
        ([path, operations]) => Object.keys(operations).map((method) => [method, path]),
      );

      for (const [method, path] of documented) {
        const response = await fetch(`${sut.url}${path}`, {
          method: method.toUpperCase(),
          ...(method === 'post' ? { headers: { 'content-type': 'application/json' } } : {}),
          ...(method === 'post' ? { body: '{}' } : {}),
        });
        await response.body?.cancel();

        expect(`${method} ${path} ${response.status}`).not.toMatch(/ 404$/);
      }
    });

    it('defines the OpenAI error envelope {error: {message, type, param, code}}', () => {
      const { schemas } = document.components;

      expect(schemas.OpenAiErrorDto).toEqual({
        type: 'object',
        properties: { error: { $ref: '#/components/schemas/OpenAiErrorDetailDto' } },
        required: ['error'],
      });
      expect(Object.keys(schemas.OpenAiErrorDetailDto.properties).sort()).toEqual([
        'code',
        'message',
        'param',
        'type',
      ]);
    });

    it.each(LLM_ROUTES)(
      'documents the error responses of %s %s with that schema',
      (path, method) => {
        const responses = document.paths[path][method].responses as Record<string, Json>;
        const errors = Object.entries(responses).filter(([status]) => Number(status) >= 400);

        expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(['502', '503']));
        for (const [, response] of errors) {
          expect(response.content['application/json'].schema).toEqual({ $ref: ERROR_SCHEMA });
          expect(response.content['application/json'].example).toEqual({
            error: expect.objectContaining({
              message: expect.any(String),
              type: expect.any(String),
            }),
          });
        }
      },
    );

    it('documents the SSE routes as text/event-stream', () => {
      for (const [path, method] of [
        ['/v1/chat/completions', 'post'],
        ['/v1/chat/stream', 'post'],
        ['/v1/chat/stream', 'get'],
      ]) {
        expect(Object.keys(document.paths[path][method].responses['200'].content)).toContain(
          'text/event-stream',
        );
      }
    });

    it('is live and ready', async () => {
      const live = await getJson(`${sut.url}/health/live`);
      const ready = await getJson(`${sut.url}/health/ready`);

      expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        error: {},
        details: { upstream: { status: 'up' } },
      });
    });
  });

  describe('an arkgate without ARK_API_KEY', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({ env: { ARK_API_KEY: undefined, ARK_DEFAULT_MODEL: MODEL } });
    });

    afterAll(() => sut.close());

    beforeEach(() => sut.simulator.reset());

    afterEach(() => expect(sut.simulator.requests).toEqual([]));

    const notConfigured = {
      error: {
        message: expect.stringContaining('ARK_API_KEY'),
        type: 'service_unavailable_error',
        param: null,
        code: 'upstream_not_configured',
      },
    };

    it('starts, is live and serves its docs', async () => {
      const live = await getJson(`${sut.url}/health/live`);
      const docs = await getJson(`${sut.url}/docs-json`);

      expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toContain('/v1/chat');
    });

    it('is not ready, saying why', async () => {
      const ready = await getJson(`${sut.url}/health/ready`);

      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { upstream: { status: 'down', message: 'ARK_API_KEY is not set' } },
      });
    });

    it('answers POST /v1/chat with 503 naming ARK_API_KEY', async () => {
      const { status, body } = await postJson(`${sut.url}/v1/chat`, { input: 'hi' });

      expect(status).toBe(503);
      expect(body).toEqual(notConfigured);
      expect(body.error.message).toBe(
        'arkgate has no BytePlus credentials: set ARK_API_KEY (and ARK_BASE_URL for a region other than ap-southeast) and restart.',
      );
    });

    it.each([
      ['/v1/chat/completions', { messages: userSays('hi') }],
      ['/v1/chat/completions', { messages: userSays('hi'), stream: true }],
      ['/v1/chat/stream', { input: 'hi' }],
    ])('answers POST %s (%j) with the same 503', async (path, request) => {
      const { status, body } = await postJson(`${sut.url}${path}`, request);

      expect(status).toBe(503);
      expect(body).toEqual(notConfigured);
    });

    it('answers GET /v1/models and GET /v1/chat/stream with the same 503', async () => {
      const models = await getJson(`${sut.url}/v1/models`);
      const stream = await openSse(`${sut.url}/v1/chat/stream?input=hi`);

      expect([models.status, models.body]).toEqual([503, notConfigured]);
      expect(stream.status).toBe(503);
      expect(await stream.json()).toEqual(notConfigured);
    });
  });
});
