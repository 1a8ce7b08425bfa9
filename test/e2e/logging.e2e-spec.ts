import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { openSse } from '../support/sse.client';
import { MODEL } from './chat.fixtures';
import { postJson } from './json.client';

const SECRET = 'sk-caller-secret-never-logged';
const CONTENT = 'a body that must not be logged';

describe('Structured request logs (LOG_LEVEL=info)', () => {
  let sut: ArkgateHarness;
  let logged: string;
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    sut = await startArkgate({
      env: {
        ARK_DEFAULT_MODEL: MODEL,
        LOG_LEVEL: 'info',
        // Traced, for the trace id header; nothing listens there and no export is retried soon.
        TRACING_ENABLED: 'true',
        MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
        EXPORT_RETRY_BASE_MS: '60000',
      },
    });
  });

  afterAll(() => sut.close());

  beforeEach(() => {
    logged = '';
    spies.push(
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        logged += String(chunk);
        return true;
      }),
    );
  });

  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  /** The JSON request lines logged so far (every line must be JSON). */
  function requestLines(): Array<Record<string, unknown>> {
    return logged
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.context === 'HTTP');
  }

  it('writes one JSON line per request: method, route, status, duration, trace id, caller', async () => {
    const { status, headers } = await postJson(
      `${sut.url}/v1/chat`,
      { input: CONTENT },
      {
        'content-type': 'application/json',
        authorization: `Bearer ${SECRET}`,
        'x-api-key': SECRET,
        cookie: `session=${SECRET}`,
        'x-user-id': 'user-7',
        'x-session-id': 'session-9',
      },
    );

    expect(status).toBe(200);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: 30,
        method: 'POST',
        route: '/v1/chat',
        status: 200,
        durationMs: expect.any(Number),
        traceId: headers.get('x-mlflow-trace-id') ?? 'no trace id header',
        userId: 'user-7',
        sessionId: 'session-9',
      }),
    ]);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(CONTENT);
  });

  it('logs a streamed request once, when the stream has ended', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream`, { body: { input: 'stream it' } });
    await stream.readAll();
    await postJson(`${sut.url}/v1/chat`, { input: 'and a later request' });

    const streamed = requestLines().filter((line) => line.route === '/v1/chat/stream');
    expect(streamed).toEqual([expect.objectContaining({ method: 'POST', status: 200 })]);
  });

  it('logs client errors as warnings by route template, without the query string', async () => {
    await fetch(`${sut.url}/v1/chat/stream?access_token=${SECRET}`);
    await fetch(`${sut.url}/nowhere?token=${SECRET}`);

    expect(requestLines()).toEqual([
      expect.objectContaining({ level: 40, method: 'GET', route: '/v1/chat/stream', status: 400 }),
      expect.objectContaining({ level: 40, method: 'GET', route: 'unmatched', status: 404 }),
    ]);
    expect(logged).not.toContain(SECRET);
  });

  it('writes nothing at LOG_LEVEL=silent', async () => {
    const quiet = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL, LOG_LEVEL: 'silent' } });
    try {
      await postJson(`${quiet.url}/v1/chat`, { input: 'hi' });
      await fetch(`${quiet.url}/nowhere`);
    } finally {
      await quiet.close();
    }

    expect(logged).toBe('');
  });
});
