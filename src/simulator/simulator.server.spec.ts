import { connect } from 'node:net';
import OpenAI from 'openai';
import { ModelArkSimulator } from './simulator.server';

const MODEL = 'seed-1-6-250615';
const chatBody = { model: MODEL, messages: [{ role: 'user', content: 'hi' }] };

describe(ModelArkSimulator.name, () => {
  let sut: ModelArkSimulator;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await ModelArkSimulator.start({ maxBodyBytes: 64 * 1024 });
    client = new OpenAI({ apiKey: 'test-key', baseURL: sut.url, maxRetries: 0 });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.reset());

  const origin = () => sut.url.replace(/\/api\/v3$/, '');
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${origin()}${path}`, { method: 'POST', headers, body });

  it('listens on a free port and exposes a BytePlus-like base URL', () => {
    expect(sut.port).toBeGreaterThan(0);
    expect(sut.url).toBe(`http://127.0.0.1:${sut.port}/api/v3`);
  });

  it('lists and retrieves models', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    const one = await client.models.retrieve('deepseek-r1-250528');

    expect(models.map((model) => model.id)).toEqual(
      expect.arrayContaining(['seed-1-6-250615', 'seed-1-6-thinking-250715', 'deepseek-r1-250528']),
    );
    expect(models.every((model) => model.object === 'model' && model.owned_by)).toBe(true);
    expect(one).toMatchObject({ id: 'deepseek-r1-250528', object: 'model' });
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it.each(['/api/v3', '/v1', ''])('serves the routes under the prefix "%s"', async (prefix) => {
    const response = await post(`${prefix}/chat/completions`, JSON.stringify(chatBody));

    expect(response.status).toBe(200);
  });

  it('sends x-request-id on success and on error, matching the logged request', async () => {
    const ok = await post('/api/v3/chat/completions', JSON.stringify(chatBody));
    const failed = await post('/api/v3/chat/completions', '{');

    expect(ok.headers.get('x-request-id')).toBe(sut.requests[0].id);
    expect(failed.headers.get('x-request-id')).toBe(sut.requests[1].id);
    expect(sut.requests[1].id).toMatch(/^021/);
  });

  it('answers 400 in the envelope for malformed JSON, whatever the content type', async () => {
    const response = await post('/api/v3/chat/completions', '{"model":', {
      'content-type': 'text/plain',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'InvalidJson',
        message: expect.stringContaining('not valid JSON'),
        param: null,
        type: 'invalid_request_error',
      },
    });
  });

  it('accepts JSON sent with another content type', async () => {
    const response = await post('/api/v3/chat/completions', JSON.stringify(chatBody), {
      'content-type': 'text/plain',
    });

    expect(response.status).toBe(200);
  });

  it('answers 413 past the body limit and keeps serving', async () => {
    const huge = JSON.stringify({ ...chatBody, padding: 'x'.repeat(200 * 1024) });

    const response = await post('/api/v3/chat/completions', huge);

    expect(response.status).toBe(413);
    expect((await post('/api/v3/chat/completions', JSON.stringify(chatBody))).status).toBe(200);
  });

  it('answers 404 for an unknown path and 405 for a known path with another method', async () => {
    const unknown = await fetch(`${sut.url}/nowhere`);
    const wrongMethod = await fetch(`${sut.url}/chat/completions`);

    expect(unknown.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(((await wrongMethod.json()) as { error: object }).error).toHaveProperty('type');
  });

  it('logs method, path, headers and parsed body of each request', async () => {
    await client.chat.completions.create(
      { model: MODEL, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-test': 'yes' } },
    );

    expect(sut.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v3/chat/completions',
        headers: expect.objectContaining({ 'x-test': 'yes', authorization: 'Bearer test-key' }),
        body: expect.objectContaining({ model: MODEL }),
        completed: true,
        aborted: false,
        status: 200,
      }),
    ]);
  });

  it('serves the log over HTTP and clears it with DELETE', async () => {
    await post('/api/v3/chat/completions', JSON.stringify(chatBody));

    const listed = (await (await fetch(`${origin()}/__simulator/requests`)).json()) as {
      data: { path: string }[];
    };
    const deleted = await fetch(`${origin()}/__simulator/requests`, { method: 'DELETE' });
    const health = await fetch(`${origin()}/__simulator/health`);

    expect(listed.data.map((entry) => entry.path)).toEqual(['/api/v3/chat/completions']);
    expect(deleted.status).toBe(204);
    expect(sut.requests).toEqual([]);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('rejects waitFor after its timeout', async () => {
    await expect(sut.waitFor((entry) => entry.path === '/never', 20)).rejects.toThrow(
      'No simulator request matched within 20 ms',
    );
  });

  it('answers bytes that are not HTTP with 400, and keeps running', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(sut.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text)).on('error', reject);
    });

    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${sut.url}/models`)).status).toBe(200);
  });

  describe('with an API key', () => {
    let secured: ModelArkSimulator;

    beforeAll(async () => {
      secured = await ModelArkSimulator.start({ apiKey: 'sk-right' });
    });

    afterAll(() => secured.close());

    it('answers 401 without the right bearer token, and 200 with it', async () => {
      const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: secured.url, maxRetries: 0 });
      const right = new OpenAI({ apiKey: 'sk-right', baseURL: secured.url, maxRetries: 0 });

      await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await expect(right.models.list()).resolves.toBeDefined();
    });
  });

  describe('without a log', () => {
    let quiet: ModelArkSimulator;

    beforeAll(async () => {
      quiet = await ModelArkSimulator.start({ logRequests: false });
    });

    afterAll(() => quiet.close());

    it('keeps no requests', async () => {
      await fetch(`${quiet.url}/models`);

      expect(quiet.requests).toEqual([]);
    });
  });

  describe('close', () => {
    it('ends hanging requests so a test can finish', async () => {
      const doomed = await ModelArkSimulator.start();
      const hanging = fetch(`${doomed.url}/chat/completions`, {
        method: 'POST',
        headers: { 'x-simulator': '{"scenario":"hang"}' },
        body: JSON.stringify(chatBody),
      });
      await doomed.waitFor((entry) => entry.body !== undefined);

      await doomed.close();

      await expect(hanging).rejects.toThrow();
      await expect(doomed.close()).resolves.toBeUndefined();
    });
  });
});
