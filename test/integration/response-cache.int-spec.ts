import type { ReadSpan } from '../support/mlflow-reader';
import { openSse } from '../support/sse.client';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const MODEL = 'seed-1-6-250615';
const EXPERIMENT = 'arkgate-response-cache';

describe('The response cache in Redis, shared by two gateways', () => {
  let first: TracedArkgate;
  let second: TracedArkgate;

  beforeAll(async () => {
    const env = {
      CACHE_TTL_SECONDS: '60',
      GATEWAY_AUTH: 'on',
      GATEWAY_API_KEYS: 'alpha:sk-alpha,beta:sk-beta',
    };
    first = await startTracedArkgate({ experimentName: EXPERIMENT, redisDb: 2, env });
    second = await startTracedArkgate({
      experimentName: EXPERIMENT,
      redisDb: 2,
      env: { ...env, REDIS_URL: first.redisUrl },
    });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const ask = (sut: TracedArkgate, key: string, question: string) =>
    fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: question }] }),
    });

  async function completionsSpan(sut: TracedArkgate, traceId: string): Promise<ReadSpan> {
    return eventually(async () => {
      const spans = await sut.reader.getTraceSpans(traceId);
      return spans.find((span) => span.name === 'Completions');
    }, 30_000);
  }

  it('serves one gateway the answer the other cached, and traces the hit with its usage at no cost', async () => {
    const miss = await ask(first, 'sk-alpha', 'Shared across replicas');
    const missBody = (await miss.json()) as { usage: { prompt_tokens: number } };
    await eventually(async () => {
      const hit = await ask(second, 'sk-alpha', 'Shared across replicas');
      await hit.arrayBuffer();
      return hit.headers.get('x-arkgate-cache') === 'hit' ? hit : undefined;
    }, 5_000).then(async (hit) => {
      expect(miss.headers.get('x-arkgate-cache')).toBe('miss');
      expect(second.simulator.requests).toHaveLength(0);

      const span = await completionsSpan(second, hit.headers.get('x-mlflow-trace-id')!);
      expect(span.attributes['arkgate.cache']).toBe('hit');
      expect(span.attributes['mlflow.chat.tokenUsage']).toMatchObject({
        input_tokens: missBody.usage.prompt_tokens,
      });
      expect(span.attributes['mlflow.llm.cost']).toEqual({
        input_cost: 0,
        output_cost: 0,
        total_cost: 0,
      });
    });
  });

  it('keeps the answers of one API key from another, across gateways', async () => {
    await (await ask(first, 'sk-alpha', 'Alpha only')).arrayBuffer();
    const other = await ask(second, 'sk-beta', 'Alpha only');

    expect(other.headers.get('x-arkgate-cache')).toBe('miss');
    expect(second.simulator.requests).toHaveLength(1);
  });

  it('replays the shared answer as a stream on the other gateway', async () => {
    await (await ask(first, 'sk-alpha', 'Stream the shared one')).arrayBuffer();
    const stream = await openSse(`${second.url}/v1/chat/completions`, {
      headers: { authorization: 'Bearer sk-alpha' },
      body: {
        model: MODEL,
        messages: [{ role: 'user', content: 'Stream the shared one' }],
        stream: true,
      },
    });
    const events = await stream.readAll();

    expect(stream.headers['x-arkgate-cache']).toBe('hit');
    expect(events.filter((event) => event.data).at(-1)!.data).toBe('[DONE]');
  });
});
