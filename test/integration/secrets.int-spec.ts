import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import { ArkgateProcess } from '../support/arkgate-process';
import { MlflowReader } from '../support/mlflow-reader';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { openSse } from '../support/sse.client';
import { testRedisUrl } from '../support/test-redis.env';
import { eventually, flushRedisDb } from '../support/traced-arkgate';

jest.setTimeout(180_000);

const ARK_API_KEY = 'ark-secret-upstream-5d1f0c7be2a94e36';
const CLIENT_KEY = 'sk-secret-client-9b4e2a71c3d85f60';
const TOKEN_SECRET = 'secrets-int-token-secret-at-least-32-chars';
const EXPERIMENT = 'arkgate-secrets-int';
const REDIS_DB = 3;
const MODEL = 'seed-1-6-250615';
const EMAIL = 'jane.secret-owner@example.org';

/** Every place arkgate writes to: its own output, MLflow, /metrics. */
interface Written {
  log: string;
  traces: string;
  metrics: string;
}

describe('Secrets arkgate must never write down', () => {
  let simulator: ModelArkSimulator;
  let sut: ArkgateProcess;
  let reader: MlflowReader;
  let token: string;
  let failedCallBody: string;
  const traceIds: string[] = [];
  let written: Written;

  async function post(path: string, body: object, headers: Record<string, string> = {}) {
    const response = await fetch(`${sut.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${CLIENT_KEY}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const traceId = response.headers.get('x-mlflow-trace-id');
    if (traceId) traceIds.push(traceId);
    return { status: response.status, text: await response.text() };
  }

  /** Every trace of the experiment, info and spans, once none is still in progress. */
  async function exportedTraces(): Promise<string> {
    const experimentId = await eventually(async () => {
      return (await reader.getExperimentByName(EXPERIMENT))?.experiment_id;
    });
    const infos = await eventually(async () => {
      const found = await reader.searchTraces({ experimentIds: [experimentId] });
      const ids = new Set(found.map((info) => info.trace_id));
      const all = traceIds.every((id) => ids.has(id));
      return all && found.every((info) => info.state !== 'IN_PROGRESS') ? found : undefined;
    }, 60_000);
    const traces = await Promise.all(
      infos.map(async (info) => ({
        info: await reader.getTraceInfo(info.trace_id),
        spans: await eventually(async () => {
          const spans = await reader.getTraceSpans(info.trace_id);
          return spans.length > 0 ? spans : undefined;
        }),
      })),
    );
    return JSON.stringify({ infos, traces });
  }

  beforeAll(async () => {
    const { trackingUri } = readMlflowTestEnv();
    reader = new MlflowReader(trackingUri);
    const redisUrl = testRedisUrl(REDIS_DB);
    await flushRedisDb(redisUrl);
    simulator = await ModelArkSimulator.start({ apiKey: ARK_API_KEY });
    sut = await ArkgateProcess.start({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      ARK_API_KEY,
      ARK_BASE_URL: simulator.url,
      ARK_DEFAULT_MODEL: MODEL,
      ARK_MAX_RETRIES: '0',
      GATEWAY_API_KEYS: `secrets-int:${CLIENT_KEY}`,
      GATEWAY_TOKEN_SECRET: TOKEN_SECRET,
      TRACING_ENABLED: 'true',
      TRACE_REDACT: 'email',
      MLFLOW_TRACKING_URI: trackingUri,
      MLFLOW_EXPERIMENT_NAME: EXPERIMENT,
      REDIS_URL: redisUrl,
      EXPORT_RETRY_BASE_MS: '200',
      EXPORT_RETRY_MAX_DELAY_MS: '1000',
    });

    const chat = { model: MODEL, messages: [{ role: 'user', content: `Mail me at ${EMAIL}` }] };
    expect((await post('/v1/chat/completions', chat)).status).toBe(200);
    expect((await post('/v1/chat/completions', { ...chat, stream: true })).status).toBe(200);
    expect((await post('/v1/chat', { input: 'Hello' }, { 'x-api-key': CLIENT_KEY })).status).toBe(
      200,
    );
    expect((await post('/v1/responses', { model: MODEL, input: 'What is MLflow?' })).status).toBe(
      200,
    );
    const embeddings = { model: 'seed-embedding-text-250615', input: ['hello world'] };
    expect((await post('/v1/embeddings', embeddings)).status).toBe(200);

    const failed = await post('/v1/chat/completions', {
      ...chat,
      simulator: { scenario: 'error-401' },
    });
    expect(failed.status).toBe(502);
    failedCallBody = failed.text;

    const minted = await post('/v1/tokens', { userId: 'u-secrets', sessionId: 's-secrets' });
    expect(minted.status).toBe(200);
    token = (JSON.parse(minted.text) as { token: string }).token;
    const stream = await openSse(
      `${sut.url}/v1/chat/stream?input=${encodeURIComponent('Hi there')}&access_token=${token}`,
    );
    const events = await stream.readAll();
    expect(stream.status).toBe(200);
    expect(events.at(-1)?.event).toBe('done');
    traceIds.push(String(stream.headers['x-mlflow-trace-id']));

    const traces = await exportedTraces();
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    await sut.stop();
    written = { log: sut.log, traces, metrics };
  });

  afterAll(async () => {
    await sut?.stop();
    await simulator?.close();
  });

  it('wrote something to search in each place', () => {
    expect(traceIds).toHaveLength(7);
    for (const traceId of traceIds) expect(written.traces).toContain(traceId);
    expect(written.log).toContain('arkgate listening on');
    expect(written.log).toContain('/v1/chat/completions');
    expect(written.log).toContain('/v1/chat/stream');
    expect(written.metrics).toContain('arkgate_http_request_duration_seconds');
  });

  it.each<[string, () => string]>([
    ['the ModelArk API key', () => ARK_API_KEY],
    ['the client API key', () => CLIENT_KEY],
    ['the browser token', () => token],
    ['the browser token signature', () => token.split('.').at(-1)!],
    ['the token secret', () => TOKEN_SECRET],
  ])('writes %s nowhere', (_what, secret) => {
    expect(secret().length).toBeGreaterThan(10);
    expect(written.log).not.toContain(secret());
    expect(written.traces).not.toContain(secret());
    expect(written.metrics).not.toContain(secret());
  });

  it('does not echo the ModelArk key when ModelArk rejects it', () => {
    expect(JSON.parse(failedCallBody)).toMatchObject({
      error: { code: 'upstream_auth_failed' },
    });
    expect(failedCallBody).not.toContain(ARK_API_KEY);
  });

  it('masks an email in the traces and the logs with TRACE_REDACT=email', () => {
    expect(written.traces).toContain('Mail me at');
    expect(written.traces).not.toContain(EMAIL);
    expect(written.log).not.toContain(EMAIL);
  });
});
