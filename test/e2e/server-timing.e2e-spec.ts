import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { postJson } from './json.client';

const UPSTREAM_LATENCY_MS = 60;

/** `upstream;dur=1.5, total;dur=2` → { upstream: 1.5, total: 2 }. */
function parseServerTiming(header: string | null): Record<string, number> {
  if (header === null) throw new Error('no Server-Timing header');
  return Object.fromEntries(
    header.split(',').map((metric) => {
      const [name, ...params] = metric.trim().split(';');
      const duration = params.find((param) => param.startsWith('dur='));
      return [name, Number(duration?.slice('dur='.length))];
    }),
  );
}

describe('Server-Timing', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({
      env: { ARK_DEFAULT_MODEL: MODEL },
      simulator: { latencyMs: UPSTREAM_LATENCY_MS },
    });
  });

  afterAll(() => sut.close());

  it('splits a chat completion into time upstream and total time', async () => {
    const answer = await postJson(`${sut.url}/v1/chat/completions`, {
      model: MODEL,
      messages: userSays('Hello'),
    });

    expect(answer.status).toBe(200);
    const timing = parseServerTiming(answer.headers.get('server-timing'));
    expect(Object.keys(timing)).toEqual(['upstream', 'total']);
    expect(timing.upstream).toBeGreaterThanOrEqual(UPSTREAM_LATENCY_MS);
    expect(timing.total).toBeGreaterThanOrEqual(timing.upstream);
  });

  it('times a stream until its first byte', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: { model: MODEL, messages: userSays('Hello'), stream: true },
    });
    const timing = parseServerTiming(String(stream.headers['server-timing']));
    await stream.readAll();

    expect(timing.upstream).toBeGreaterThanOrEqual(UPSTREAM_LATENCY_MS);
    expect(timing.total).toBeGreaterThanOrEqual(timing.upstream);
  });

  it('times the app SSE route too', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream?input=Hello`, { method: 'GET' });
    const timing = parseServerTiming(String(stream.headers['server-timing']));
    await stream.readAll();

    expect(timing.upstream).toBeGreaterThanOrEqual(UPSTREAM_LATENCY_MS);
  });

  it('sums the attempts of a retried call', async () => {
    const retrying = await startArkgate({
      env: { ARK_DEFAULT_MODEL: MODEL, ARK_MAX_RETRIES: '1' },
      simulator: { latencyMs: UPSTREAM_LATENCY_MS },
    });
    try {
      const answer = await postJson(`${retrying.url}/v1/chat/completions`, {
        model: MODEL,
        messages: userSays('Hello'),
        simulator: { scenario: 'fail-once', key: 'server-timing-retry', retry_after_ms: 1 },
      });

      expect(answer.status).toBe(200);
      const timing = parseServerTiming(answer.headers.get('server-timing'));
      expect(timing.upstream).toBeGreaterThanOrEqual(2 * UPSTREAM_LATENCY_MS);
    } finally {
      await retrying.close();
    }
  });

  it('carries only the total on answers that never went upstream', async () => {
    const response = await fetch(`${sut.url}/health/live`);
    const invalid = await postJson(`${sut.url}/v1/chat/completions`, { model: MODEL });

    expect(Object.keys(parseServerTiming(response.headers.get('server-timing')))).toEqual([
      'total',
    ]);
    expect(invalid.status).toBe(400);
    expect(Object.keys(parseServerTiming(invalid.headers.get('server-timing')))).toEqual(['total']);
  });
});
