import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { postJson } from './json.client';

const ENDPOINT_ID = 'ep-20250101123456-abcde';

/** ModelArk parameters arkgate does not model, and one a vendor might invent. */
const EXTRA_PARAMETERS = {
  thinking: { type: 'disabled' },
  reasoning_effort: 'low',
  service_tier: 'auto',
  x_vendor_option: { nested: { flag: true, list: [1, 'two', null] }, level: 0 },
};

describe('What arkgate forwards to ModelArk', () => {
  describe('with ARK_DEFAULT_MODEL', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
    });

    afterAll(() => sut.close());

    beforeEach(() => sut.simulator.reset());

    it('forwards unknown parameters and the endpoint id exactly (OpenAI route)', async () => {
      const request = { model: ENDPOINT_ID, messages: userSays('hi'), ...EXTRA_PARAMETERS };

      const { status, body } = await postJson(`${sut.url}/v1/chat/completions`, request);

      expect(status).toBe(200);
      expect(body.model).toBe(ENDPOINT_ID);
      expect(sut.simulator.requests[0].body).toEqual({ ...request, stream: false });
    });

    it('forwards them exactly when streaming, adding only the usage request', async () => {
      const request = { model: ENDPOINT_ID, messages: userSays('hi'), ...EXTRA_PARAMETERS };

      const stream = await openSse(`${sut.url}/v1/chat/completions`, {
        body: { ...request, stream: true },
      });
      await stream.readAll();

      expect(stream.status).toBe(200);
      expect(sut.simulator.requests[0].body).toEqual({
        ...request,
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('sends only the documented parameters of the EventSource route upstream', async () => {
      const query = 'input=hi&temperature=0.5&_=1712345678&access_token=browser-secret&foo=bar';

      const stream = await openSse(`${sut.url}/v1/chat/stream?${query}`, { method: 'GET' });
      await stream.readAll();

      expect(stream.status).toBe(200);
      const upstream = sut.simulator.requests[0].body as Record<string, unknown>;
      expect(upstream).toMatchObject({ temperature: 0.5, messages: userSays('hi') });
      expect(upstream).not.toHaveProperty('_');
      expect(upstream).not.toHaveProperty('foo');
      expect(JSON.stringify(upstream)).not.toContain('browser-secret');
    });

    it('forwards them from the app route, without the app-only fields', async () => {
      const request = {
        input: 'hi',
        model: ENDPOINT_ID,
        sessionId: 'session-1',
        userId: 'user-1',
        temperature: 0.2,
        ...EXTRA_PARAMETERS,
      };

      const { status, body } = await postJson(`${sut.url}/v1/chat`, request);

      expect(status).toBe(200);
      expect(body.model).toBe(ENDPOINT_ID);
      expect(sut.simulator.requests[0].body).toEqual({
        model: ENDPOINT_ID,
        temperature: 0.2,
        ...EXTRA_PARAMETERS,
        messages: userSays('hi'),
        stream: false,
      });
    });

    it('appends `input` to `messages` as the last user message', async () => {
      const messages = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi!' },
      ];

      const { status, body } = await postJson(`${sut.url}/v1/chat`, {
        messages,
        input: 'Name a color',
      });

      expect(status).toBe(200);
      expect(body.content).toBe('Simulated reply to: Name a color');
      expect(sut.simulator.requests[0].body).toMatchObject({
        messages: [...messages, { role: 'user', content: 'Name a color' }],
      });
    });

    it.each([
      ['/v1/chat/completions', { messages: userSays('hi') }],
      ['/v1/chat', { input: 'hi' }],
    ])('falls back to ARK_DEFAULT_MODEL when %s gets no model', async (path, request) => {
      const { status, body } = await postJson(`${sut.url}${path}`, request);

      expect(status).toBe(200);
      expect(body.model).toBe(MODEL);
      expect(sut.simulator.requests[0].body).toMatchObject({ model: MODEL });
    });
  });

  describe('without ARK_DEFAULT_MODEL', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: undefined } });
    });

    afterAll(() => sut.close());

    beforeEach(() => sut.simulator.reset());

    const modelRequired = {
      error: {
        message: 'model is required (no ARK_DEFAULT_MODEL is configured)',
        type: 'invalid_request_error',
        param: 'model',
        code: 'invalid_request',
      },
    };

    it.each([
      ['/v1/chat/completions', { messages: userSays('hi') }],
      ['/v1/chat/completions', { messages: userSays('hi'), stream: true }],
      ['/v1/chat', { input: 'hi' }],
      ['/v1/chat/stream', { input: 'hi' }],
    ])('answers 400 naming `model` when %s gets none (%j)', async (path, request) => {
      const { status, body } = await postJson(`${sut.url}${path}`, request);

      expect(status).toBe(400);
      expect(body).toEqual(modelRequired);
      expect(sut.simulator.requests).toEqual([]);
    });

    it('answers 400 naming `model` on GET /v1/chat/stream without one', async () => {
      const stream = await openSse(`${sut.url}/v1/chat/stream?input=hi`);

      expect(stream.status).toBe(400);
      expect(await stream.json()).toEqual(modelRequired);
    });

    it('still passes an explicit model through', async () => {
      const { status, body } = await postJson(`${sut.url}/v1/chat`, {
        input: 'hi',
        model: ENDPOINT_ID,
      });

      expect(status).toBe(200);
      expect(body.model).toBe(ENDPOINT_ID);
    });
  });
});
