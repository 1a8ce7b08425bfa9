import { Redis } from 'ioredis';
import type { TraceInfoJson } from '../../src/mlflow/trace-info.mapper';
import { startArkgate, type ArkgateHarness } from '../support/arkgate.harness';
import type { ReadSpan } from '../support/mlflow-reader';
import { openSse } from '../support/sse.client';
import { testRedisUrl } from '../support/test-redis.env';
import {
  eventually,
  flushRedisDb,
  startTracedArkgate,
  type TracedArkgate,
} from '../support/traced-arkgate';

jest.setTimeout(120_000);

const API_KEY = 'sk-backend-int-0123456789abcdef';
const SECRET = 'integration-secret-at-least-32-characters';
const MODEL = 'seed-1-6-250615';

describe('Auth, as MLflow records it', () => {
  let sut: TracedArkgate;

  beforeAll(async () => {
    sut = await startTracedArkgate({
      experimentName: 'arkgate-auth-int',
      redisDb: 4,
      env: {
        GATEWAY_AUTH: 'on',
        GATEWAY_API_KEYS: `backend:${API_KEY}`,
        GATEWAY_TOKEN_SECRET: SECRET,
        RATE_LIMIT_RPM: '1000',
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
  });

  async function exported(traceId: string): Promise<{ info: TraceInfoJson; spans: ReadSpan[] }> {
    const info = await eventually(async () => {
      const found = await sut.reader.getTraceInfo(traceId);
      return found?.state === 'IN_PROGRESS' ? undefined : found;
    });
    const spans = await eventually(async () => {
      const found = await sut.reader.getTraceSpans(traceId);
      return found.length >= 2 ? found : undefined;
    });
    return { info, spans };
  }

  async function mint(userId: string, sessionId: string): Promise<string> {
    const response = await fetch(`${sut.url}/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ userId, sessionId }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  it('names the API key as the caller and keeps the user the service gave', async () => {
    const response = await fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'x-user-id': 'u-svc' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    const { info, spans } = await exported(response.headers.get('x-mlflow-trace-id')!);

    expect(info.tags['arkgate.caller']).toBe('backend');
    expect(info.trace_metadata['mlflow.trace.user']).toBe('u-svc');
    expect(JSON.stringify({ info, spans })).not.toContain(API_KEY);
  });

  it('takes user and session from the token on the SSE GET route, and records no token', async () => {
    const token = await mint('user-from-token', 'session-from-token');
    const stream = await openSse(
      `${sut.url}/v1/chat/stream?input=Hello&userId=evil&sessionId=evil&access_token=${token}`,
      { headers: { 'x-user-id': 'evil-header', 'x-session-id': 'evil-header' } },
    );
    const events = await stream.readUntilTerminal();
    expect(stream.status).toBe(200);
    expect(events.at(-1)?.event).toBe('done');
    const { info, spans } = await exported(String(stream.headers['x-mlflow-trace-id']));

    expect(info.trace_metadata['mlflow.trace.user']).toBe('user-from-token');
    expect(info.trace_metadata['mlflow.trace.session']).toBe('session-from-token');
    expect(info.tags['arkgate.caller']).toBe('backend');
    const root = spans.find((span) => span.parentSpanId === undefined || span.parentSpanId === '')!;
    const inputs = root.attributes['mlflow.spanInputs'] as Record<string, unknown>;
    expect(inputs).toMatchObject({ input: 'Hello' });
    expect(inputs).not.toHaveProperty('access_token');
    const everything = JSON.stringify({ info, spans });
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[1]);
    expect(everything).not.toContain(API_KEY);
  });

  it('takes user and session from the token over the body and headers on POST /v1/chat', async () => {
    const token = await mint('user-b', 'session-b');
    const response = await fetch(`${sut.url}/v1/chat`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-user-id': 'evil-header',
      },
      body: JSON.stringify({ input: 'Hi', userId: 'evil-body', sessionId: 'evil-body' }),
    });
    expect(response.status).toBe(200);
    const { info, spans } = await exported(response.headers.get('x-mlflow-trace-id')!);

    expect(info.trace_metadata['mlflow.trace.user']).toBe('user-b');
    expect(info.trace_metadata['mlflow.trace.session']).toBe('session-b');
    expect(JSON.stringify({ info, spans })).not.toContain(token);
  });

  it('keeps the counters in Redis', async () => {
    const redis = new Redis(sut.redisUrl);
    try {
      const keys = await redis.keys('arkgate:ratelimit:{backend}:*');
      expect(keys.some((key) => key.endsWith(':requests'))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});

describe('Rate limits shared by replicas through Redis', () => {
  let replicas: ArkgateHarness[];

  beforeAll(async () => {
    const redisUrl = testRedisUrl(5);
    await flushRedisDb(redisUrl);
    const env = {
      GATEWAY_AUTH: 'on',
      GATEWAY_API_KEYS: `backend:${API_KEY}`,
      RATE_LIMIT_RPM: '2',
      REDIS_URL: redisUrl,
      ARK_DEFAULT_MODEL: MODEL,
    };
    replicas = [await startArkgate({ env }), await startArkgate({ env })];
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.close()));
  });

  it('refuses the third request of a minute whichever replica gets it', async () => {
    if (Date.now() % 60_000 > 50_000) {
      await new Promise((resolve) => setTimeout(resolve, 60_500 - (Date.now() % 60_000)));
    }
    const send = (replica: ArkgateHarness) =>
      fetch(`${replica.url}/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ input: 'Hi' }),
      });
    const first = await send(replicas[0]);
    const second = await send(replicas[1]);
    const third = await send(replicas[0]);

    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await third.json()).toMatchObject({
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    });
  });
});
