import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { postJson } from './json.client';

const SECRET = 'sk-caller-secret-never-in-metrics';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format's sample lines. */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one sample named `name` whose labels include `labels` (0 when there is none). */
function valueOf(all: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = all.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match`);
  return found[0]?.value ?? 0;
}

describe('GET /metrics', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
  });

  afterAll(() => sut.close());

  async function scrape(): Promise<{ text: string; all: Sample[] }> {
    const response = await fetch(`${sut.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    return { text, all: samples(text) };
  }

  it('counts upstream time and tokens of Responses (JSON and streamed) and embeddings calls', async () => {
    const responses = await postJson(`${sut.url}/v1/responses`, { model: MODEL, input: 'Hello' });
    expect(responses.status).toBe(200);
    const stream = await openSse(`${sut.url}/v1/responses`, {
      body: { model: MODEL, input: 'Hello again', stream: true },
    });
    await stream.readAll();
    const embeddings = await postJson(`${sut.url}/v1/embeddings`, {
      model: 'seed-embedding-text-250615',
      input: ['one two three'],
    });
    expect(embeddings.status).toBe(200);
    const usage = (embeddings.body as { usage: { prompt_tokens: number } }).usage;

    const { all } = await scrape();
    for (const operation of ['responses', 'responses_stream', 'embeddings']) {
      expect(
        valueOf(all, 'arkgate_upstream_duration_seconds_count', { operation, outcome: 'ok' }),
      ).toBeGreaterThan(0);
    }
    expect(
      valueOf(all, 'arkgate_llm_tokens_total', {
        model: 'seed-embedding-text-250615',
        direction: 'input',
      }),
    ).toBe(usage.prompt_tokens);
    expect(
      valueOf(all, 'arkgate_time_to_first_token_seconds_count', { model: MODEL }),
    ).toBeGreaterThan(0);
  });

  it('counts requests by route template and status, never by raw URL', async () => {
    const before = (await scrape()).all;
    await fetch(`${sut.url}/health/live`);
    await fetch(`${sut.url}/no/such/route/12345`);

    const { text, all } = await scrape();

    const count = (route: string, status: string) =>
      valueOf(all, 'arkgate_http_request_duration_seconds_count', {
        method: 'GET',
        route,
        status,
      }) -
      valueOf(before, 'arkgate_http_request_duration_seconds_count', {
        method: 'GET',
        route,
        status,
      });
    expect(count('/health/live', '200')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    expect(text).not.toContain('12345');
  });

  it('counts the tokens ModelArk reported, by model, and upstream latency', async () => {
    const before = (await scrape()).all;

    const { status, body } = await postJson(
      `${sut.url}/v1/chat/completions`,
      { model: MODEL, messages: userSays('Count my tokens') },
      { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
    );
    const { text, all } = await scrape();

    expect(status).toBe(200);
    const delta = (name: string, labels: Record<string, string>) =>
      valueOf(all, name, labels) - valueOf(before, name, labels);
    expect(delta('arkgate_llm_tokens_total', { model: MODEL, direction: 'input' })).toBe(
      body.usage.prompt_tokens,
    );
    expect(delta('arkgate_llm_tokens_total', { model: MODEL, direction: 'output' })).toBe(
      body.usage.completion_tokens,
    );
    expect(
      delta('arkgate_upstream_duration_seconds_count', { operation: 'chat', outcome: 'ok' }),
    ).toBe(1);
    expect(
      delta('arkgate_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/chat/completions',
        status: '200',
      }),
    ).toBe(1);
    expect(text).not.toContain(SECRET);
  });

  it('observes time to first token and the usage of a stream', async () => {
    const before = (await scrape()).all;

    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: {
        model: MODEL,
        messages: userSays('Stream please'),
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    const events = await stream.readAll();
    const usage = events
      .filter((event) => event.data.startsWith('{'))
      .map((event) => JSON.parse(event.data) as { usage?: { completion_tokens: number } })
      .find((chunk) => chunk.usage)?.usage;
    const { all } = await scrape();

    const delta = (name: string, labels: Record<string, string>) =>
      valueOf(all, name, labels) - valueOf(before, name, labels);
    expect(delta('arkgate_time_to_first_token_seconds_count', { model: MODEL })).toBe(1);
    expect(
      delta('arkgate_upstream_duration_seconds_count', { operation: 'chat_stream', outcome: 'ok' }),
    ).toBe(1);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(delta('arkgate_llm_tokens_total', { model: MODEL, direction: 'output' })).toBe(
      usage?.completion_tokens,
    );
  });

  it('exposes the export path and the prompt cache counter', async () => {
    const { text, all } = await scrape();

    expect(valueOf(all, 'arkgate_export_queue_depth')).toBe(0);
    expect(valueOf(all, 'arkgate_traces_buffered')).toBe(0);
    expect(valueOf(all, 'arkgate_traces_dropped_total')).toBe(0);
    for (const name of [
      'arkgate_export_queue_depth',
      'arkgate_traces_buffered',
      'arkgate_traces_dropped_total',
      'arkgate_export_failures_total',
      'arkgate_export_retries_total',
      'arkgate_prompt_cache_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('is not part of the API document', async () => {
    const document = (await (await fetch(`${sut.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };

    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});
