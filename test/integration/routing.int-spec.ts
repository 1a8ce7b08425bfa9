import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadSpan } from '../support/mlflow-reader';
import { openSse } from '../support/sse.client';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const PRIMARY = 'seed-1-6-250615';
const SECONDARY = 'seed-1-6-flash-250715';
const PRICED = 'seed-1-6-thinking-250715';
/** USD per 1M tokens. */
const ALIAS_PRICE = { input: 0.25, output: 2, cachedInput: 0.05 };
const MODEL_PRICE = { input: 1, output: 4 };

interface Usage {
  input_tokens: number;
  output_tokens: number;
}

const costOf = (usage: Usage, price: { input: number; output: number }) => {
  const input = (usage.input_tokens * price.input) / 1e6;
  const output = (usage.output_tokens * price.output) / 1e6;
  return { input_cost: input, output_cost: output, total_cost: input + output };
};

describe('Routed calls and their cost, as MLflow stores them', () => {
  let sut: TracedArkgate;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arkgate-routes-'));
    const file = join(dir, 'routes.yaml');
    writeFileSync(
      file,
      JSON.stringify({
        models: {
          'chat-default': {
            targets: [
              { name: 'primary', model: PRIMARY },
              { name: 'secondary', model: SECONDARY, priority: 2 },
            ],
            price: ALIAS_PRICE,
          },
          [PRICED]: { price: MODEL_PRICE },
        },
      }),
    );
    sut = await startTracedArkgate({
      experimentName: 'arkgate-routing',
      redisDb: 3,
      env: { ROUTES_FILE: file },
    });
  });

  afterAll(async () => {
    await sut?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function spansOf(traceId: string, count: number): Promise<ReadSpan[]> {
    return eventually(async () => {
      const info = await sut.reader.getTraceInfo(traceId);
      if (!info || info.state === 'IN_PROGRESS') return undefined;
      const spans = await sut.reader.getTraceSpans(traceId);
      return spans.length >= count ? spans : undefined;
    }, 30_000);
  }

  const completions = (spans: ReadSpan[]) =>
    spans
      .filter((span) => span.name === 'Completions')
      .sort((a, b) => a.startTimeUnixNano.localeCompare(b.startTimeUnixNano));

  it('shows every target tried as its own span, the failure on the first, the cost on the one that served', async () => {
    const response = await fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'chat-default',
        messages: [{ role: 'user', content: 'Route me' }],
        simulator: { scenario: 'error-500', models: [PRIMARY] },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-arkgate-target')).toBe('secondary');
    const traceId = response.headers.get('x-mlflow-trace-id')!;

    const spans = await spansOf(traceId, 3);
    const [failed, served] = completions(spans);
    const host = new URL(sut.simulator.url).host;

    expect(failed.status.code).toBe('ERROR');
    expect(failed.attributes).toMatchObject({
      'arkgate.route.alias': 'chat-default',
      'arkgate.route.target': 'primary',
      'server.address': host,
      'mlflow.spanInputs': expect.objectContaining({ model: PRIMARY }),
    });
    expect(failed.events.find((event) => event.name === 'exception')).toBeDefined();
    expect(failed.attributes['mlflow.llm.cost']).toBeUndefined();

    expect(served.status.code).toBe('OK');
    expect(served.attributes).toMatchObject({
      'arkgate.route.target': 'secondary',
      'mlflow.spanInputs': expect.objectContaining({ model: SECONDARY }),
    });
    const usage = served.attributes['mlflow.chat.tokenUsage'] as Usage;
    const expected = costOf(usage, ALIAS_PRICE);
    const cost = served.attributes['mlflow.llm.cost'] as Record<string, number>;
    expect(cost.input_cost).toBeCloseTo(expected.input_cost, 10);
    expect(cost.output_cost).toBeCloseTo(expected.output_cost, 10);
    expect(cost.total_cost).toBeCloseTo(expected.total_cost, 10);

    const root = spans.find((span) => span.name === 'POST /v1/chat/completions')!;
    expect(root.attributes).toMatchObject({
      'arkgate.route.alias': 'chat-default',
      'arkgate.route.target': 'secondary',
    });
    // The trace's cost, which MLflow adds up from the spans itself.
    const info = await sut.reader.getTraceInfo(traceId);
    const traceCost = JSON.parse(info!.trace_metadata['mlflow.trace.cost']) as Record<
      string,
      number
    >;
    expect(traceCost.total_cost).toBeCloseTo(expected.total_cost, 10);
  });

  it('prices a model that is no alias at its own price, streamed too', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: { model: PRICED, messages: [{ role: 'user', content: 'Price me' }], stream: true },
    });
    await stream.readAll();
    const traceId = stream.headers['x-mlflow-trace-id'] as string;

    const [span] = completions(await spansOf(traceId, 2));
    const usage = span.attributes['mlflow.chat.tokenUsage'] as Usage;
    const cost = span.attributes['mlflow.llm.cost'] as Record<string, number>;

    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(cost.total_cost).toBeCloseTo(costOf(usage, MODEL_PRICE).total_cost, 10);
    expect(span.attributes['arkgate.route.target']).toBeUndefined();
  });

  it('records no cost for a model without a price', async () => {
    const response = await fetch(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: PRIMARY, messages: [{ role: 'user', content: 'Free?' }] }),
    });
    const traceId = response.headers.get('x-mlflow-trace-id')!;

    const [span] = completions(await spansOf(traceId, 2));

    expect(span.attributes['mlflow.llm.cost']).toBeUndefined();
    const info = await sut.reader.getTraceInfo(traceId);
    expect(info!.trace_metadata?.['mlflow.trace.cost']).toBeUndefined();
  });
});
