import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { Json, postJson } from './json.client';

const completionCalls = (sut: ArkgateHarness) =>
  sut.simulator.requests.filter((request) => request.path.endsWith('/chat/completions')).length;

const ask = (
  sut: ArkgateHarness,
  question: string,
  headers: Record<string, string> = {},
  extra: object = {},
) =>
  postJson(
    `${sut.url}/v1/chat/completions`,
    { model: MODEL, messages: userSays(question), temperature: 0.2, ...extra },
    { 'content-type': 'application/json', ...headers },
  );

describe('The response cache', () => {
  describe('with CACHE_TTL_SECONDS set (in memory, no Redis)', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: {
          CACHE_TTL_SECONDS: '60',
          GATEWAY_AUTH: 'on',
          GATEWAY_API_KEYS: 'alpha:sk-alpha,beta:sk-beta',
        },
      });
    });

    afterAll(() => sut?.close());

    beforeEach(() => sut.simulator.reset());

    const as = (key: string) => ({ authorization: `Bearer ${key}` });

    it('answers a repeated request from the cache, without calling ModelArk', async () => {
      const first = await ask(sut, 'Cache me', as('sk-alpha'));
      const second = await ask(sut, 'Cache me', as('sk-alpha'));

      expect(first.headers.get('x-arkgate-cache')).toBe('miss');
      expect(second.headers.get('x-arkgate-cache')).toBe('hit');
      expect(second.body).toEqual(first.body);
      expect(completionCalls(sut)).toBe(1);
    });

    it('never gives one API key the answer cached for another', async () => {
      await ask(sut, 'Mine only', as('sk-alpha'));
      const other = await ask(sut, 'Mine only', as('sk-beta'));

      expect(other.headers.get('x-arkgate-cache')).toBe('miss');
      expect(completionCalls(sut)).toBe(2);
    });

    it.each([
      ['another sampling parameter', { temperature: 0.9 }],
      ['another model', { model: 'seed-1-6-flash-250715' }],
      ['tools', { tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }],
    ])('keeps requests apart that differ by %s', async (difference, extra) => {
      await ask(sut, `Differ by ${difference}`, as('sk-alpha'));
      const different = await ask(sut, `Differ by ${difference}`, as('sk-alpha'), extra);

      expect(different.headers.get('x-arkgate-cache')).toBe('miss');
      expect(completionCalls(sut)).toBe(2);
    });

    it('neither reads nor stores with x-arkgate-cache: no-store', async () => {
      await ask(sut, 'Fresh', as('sk-alpha'));
      const bypass = await ask(sut, 'Fresh', { ...as('sk-alpha'), 'x-arkgate-cache': 'no-store' });

      expect(bypass.status).toBe(200);
      expect(bypass.headers.get('x-arkgate-cache')).toBeNull();
      expect(completionCalls(sut)).toBe(2);
    });

    it('replays a cached answer as an SSE stream ending with usage, and caches a stream', async () => {
      const json = await ask(sut, 'Stream it', as('sk-alpha'));
      const stream = await openSse(`${sut.url}/v1/chat/completions`, {
        headers: as('sk-alpha'),
        body: {
          model: MODEL,
          messages: userSays('Stream it'),
          temperature: 0.2,
          stream: true,
          stream_options: { include_usage: true },
        },
      });
      const events = (await stream.readAll()).filter((event) => event.data);

      expect(stream.headers['x-arkgate-cache']).toBe('hit');
      const chunks = events.slice(0, -1).map((event) => dataOf<Json>(event));
      const content = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
      expect(content).toBe(json.body.choices[0].message.content);
      expect(chunks.at(-1).usage).toEqual(json.body.usage);
      expect(events.at(-1)!.data).toBe('[DONE]');
      expect(completionCalls(sut)).toBe(1);
    });

    it('answers a streamed request from the cache the next time', async () => {
      const body = { model: MODEL, messages: userSays('Streamed first'), stream: true };
      const first = await openSse(`${sut.url}/v1/chat/completions`, {
        headers: as('sk-alpha'),
        body,
      });
      await first.readAll();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const again = await ask(sut, 'Streamed first', as('sk-alpha'), { temperature: undefined });

      expect(first.headers['x-arkgate-cache']).toBe('miss');
      expect(again.headers.get('x-arkgate-cache')).toBe('hit');
      expect(again.body.choices[0].message.content).toBe('Simulated reply to: Streamed first');
      expect(completionCalls(sut)).toBe(1);
    });

    it('keeps no answer of a stream the caller left before it ended', async () => {
      const body = {
        model: MODEL,
        messages: userSays('Leave me halfway'),
        stream: true,
        simulator: { token_delay_ms: 100, tokens: 30 },
      };
      const left = await openSse(`${sut.url}/v1/chat/completions`, {
        headers: as('sk-alpha'),
        body,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      left.close();
      await new Promise((resolve) => setTimeout(resolve, 300));

      const again = await ask(sut, 'Leave me halfway', as('sk-alpha'), {
        temperature: undefined,
        simulator: { token_delay_ms: 100, tokens: 30 },
      });

      expect(again.headers.get('x-arkgate-cache')).toBe('miss');
      expect(again.body.choices[0].message.content.split(' ')).toHaveLength(30);
    });

    it('rejects a cache header it does not understand with a 400 naming it', async () => {
      const answer = await ask(sut, 'Bad header', {
        ...as('sk-alpha'),
        'x-arkgate-cache': 'often',
      });

      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        type: 'invalid_request_error',
        param: 'x-arkgate-cache',
      });
    });

    it('counts hits and misses', async () => {
      await ask(sut, 'Count me', as('sk-alpha'));
      await ask(sut, 'Count me', as('sk-alpha'));
      const metrics = await (await fetch(`${sut.url}/metrics`)).text();

      expect(metrics).toMatch(/arkgate_response_cache_total\{result="hit"\} [1-9]/);
      expect(metrics).toMatch(/arkgate_response_cache_total\{result="miss"\} [1-9]/);
    });
  });

  describe('off by default', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate();
    });

    afterAll(() => sut?.close());

    it('calls ModelArk every time and says nothing about a cache', async () => {
      const first = await ask(sut, 'Uncached');
      const second = await ask(sut, 'Uncached');

      expect(second.headers.get('x-arkgate-cache')).toBeNull();
      expect(first.body.id).not.toBe(second.body.id);
      expect(completionCalls(sut)).toBe(2);
    });

    it('caches one request that asks for it with max-age', async () => {
      const headers = { 'x-arkgate-cache': 'max-age=30' };
      await ask(sut, 'Opt in', headers);
      const again = await ask(sut, 'Opt in', headers);

      expect(again.headers.get('x-arkgate-cache')).toBe('hit');
    });
  });
});
