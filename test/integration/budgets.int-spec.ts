import { Redis } from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import { HARNESS_ARK_API_KEY } from '../support/arkgate.harness';
import { ArkgateProcess } from '../support/arkgate-process';
import { PrivateRedis } from '../support/child-services';
import { eventually } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const MODEL = 'seed-1-6-250615';
/** USD per 1M tokens: high, so one small call spends the whole budget. */
const PRICE = 100;
const DAILY_USD = 0.0005;

describe('Budgets per API key, across two gateway processes on one Redis', () => {
  let redis: PrivateRedis;
  let simulator: ModelArkSimulator;
  let dir: string;
  const gateways: ArkgateProcess[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    simulator = await ModelArkSimulator.start({ apiKey: HARNESS_ARK_API_KEY });
    dir = mkdtempSync(join(tmpdir(), 'arkgate-budgets-'));
    const routes = join(dir, 'routes.yaml');
    writeFileSync(
      routes,
      [
        'budgets:',
        `  alpha: { dailyUsd: ${DAILY_USD}, monthlyUsd: 1 }`,
        'models:',
        `  ${MODEL}: { price: { input: ${PRICE}, output: ${PRICE} } }`,
        '',
      ].join('\n'),
    );
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TRACING_ENABLED: 'false',
      GATEWAY_API_KEYS: 'alpha:sk-alpha,beta:sk-beta',
      ARK_API_KEY: HARNESS_ARK_API_KEY,
      ARK_BASE_URL: simulator.url,
      ARK_DEFAULT_MODEL: MODEL,
      REDIS_URL: redis.url,
      ROUTES_FILE: routes,
    };
    gateways.push(await ArkgateProcess.start(env), await ArkgateProcess.start(env));
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await simulator?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const chat = (gateway: ArkgateProcess, key: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Spend it' }] }),
    });

  it('charges a call on one gateway and refuses the next on the other, with what is left', async () => {
    const [first, second] = gateways;
    const spent = await chat(first, 'sk-alpha');
    const answer = (await spent.json()) as {
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(spent.status).toBe(200);
    expect(spent.headers.get('x-arkgate-budget-remaining-day')).toBe(DAILY_USD.toFixed(6));
    expect(spent.headers.get('x-arkgate-budget-remaining-month')).toBe('1.000000');
    const cost = ((answer.usage.prompt_tokens + answer.usage.completion_tokens) * PRICE) / 1e6;
    expect(cost).toBeGreaterThan(DAILY_USD);

    // The cost is charged once the answer is complete; the other process reads it from Redis.
    const client = new Redis(redis.url);
    const day = new Date().toISOString().slice(0, 10);
    const charged = await eventually(async () => {
      const value = await client.get(`arkgate:budget:v1:alpha:${day}`);
      return value === null ? undefined : Number(value);
    }, 10_000);
    client.disconnect();
    expect(charged).toBeCloseTo(cost, 10);

    const refused = await chat(second, 'sk-alpha');

    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: {
        message: `API key "alpha" has used its budget of ${DAILY_USD} USD per day; it resets at the start of the next UTC day`,
        type: 'insufficient_quota',
        param: null,
        code: 'budget_exceeded',
      },
    });
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-arkgate-budget-remaining-day')).toBe('0.000000');
    expect(
      simulator.requests.filter((request) => request.path.endsWith('/chat/completions')),
    ).toHaveLength(1);
  });

  it('leaves keys without a budget, and routes that spend nothing, alone', async () => {
    const [, second] = gateways;

    const other = await chat(second, 'sk-beta');
    const models = await fetch(`${second.url}/v1/models`, {
      headers: { authorization: 'Bearer sk-alpha' },
    });

    expect(other.status).toBe(200);
    expect(other.headers.get('x-arkgate-budget-remaining-day')).toBeNull();
    expect(models.status).toBe(200);
  });
});
