import OpenAI from 'openai';
import type { TraceInfoJson } from '../../src/mlflow/trace-info.mapper';
import { startArkgate, type ArkgateHarness } from '../support/arkgate.harness';
import type { ReadSpan } from '../support/mlflow-reader';
import { readMlflowTestEnv, sharedMlflowServer } from '../support/mlflow-test-env';
import { dataOf, openSse } from '../support/sse.client';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const MODEL = 'seed-1-6-250615';
const TTL_SECONDS = 2;
const RUN = Date.now().toString(36);

/** Seeds MLflow's prompt registry over REST, the way MLflow's own clients write prompts. */
class PromptSeeder {
  constructor(private readonly trackingUri: string) {}

  async createPrompt(name: string): Promise<void> {
    await this.post('/api/2.0/mlflow/registered-models/create', {
      name,
      tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }],
    });
  }

  async createVersion(
    name: string,
    template: string | { role: string; content: string }[],
    modelConfig?: Record<string, unknown>,
  ): Promise<string> {
    const tags = [
      { key: 'mlflow.prompt.is_prompt', value: 'true' },
      {
        key: 'mlflow.prompt.text',
        value: typeof template === 'string' ? template : JSON.stringify(template),
      },
      { key: '_mlflow_prompt_type', value: typeof template === 'string' ? 'text' : 'chat' },
    ];
    if (modelConfig) {
      tags.push({ key: '_mlflow_prompt_model_config', value: JSON.stringify(modelConfig) });
    }
    const created = (await this.post('/api/2.0/mlflow/model-versions/create', {
      name,
      source: 'prompt-template',
      tags,
    })) as { model_version: { version: string } };
    return created.model_version.version;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.post('/api/2.0/mlflow/registered-models/alias', { name, alias, version });
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(this.trackingUri + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function send(
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

const TEXT = `greeter-${RUN}`;
const CHAT = `support-${RUN}`;
const V1_TEXT = 'You are {{ tone }}. Greet {{name}} by name.';
const V2_TEXT = 'Version two: greet {{name}} warmly.';
const CHAT_TEMPLATE = [
  { role: 'system', content: 'You are the support agent of {{product}}.' },
  { role: 'user', content: 'Question: {{ question }}' },
];

describe('Prompts from the MLflow prompt registry', () => {
  let sut: TracedArkgate;
  let client: OpenAI;
  const seeder = new PromptSeeder(readMlflowTestEnv().trackingUri);

  beforeAll(async () => {
    await seeder.createPrompt(TEXT);
    await seeder.createVersion(TEXT, V1_TEXT, {
      provider: 'byteplus',
      model_name: MODEL,
      temperature: 0.3,
      max_tokens: 77,
    });
    await seeder.createVersion(TEXT, V2_TEXT);
    await seeder.setAlias(TEXT, 'prod', '1');
    await seeder.createPrompt(CHAT);
    await seeder.createVersion(CHAT, CHAT_TEMPLATE);
    await seeder.setAlias(CHAT, 'prod', '1');

    sut = await startTracedArkgate({
      experimentName: 'arkgate-prompts',
      redisDb: 12,
      env: { PROMPT_CACHE_TTL_SECONDS: String(TTL_SECONDS) },
    });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${sut.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await sut?.close();
  });

  /** The body the simulator received for the request answered with `traceId`'s trace. */
  function lastUpstreamBody(): Json {
    const request = sut.simulator.requests.at(-1);
    if (!request) throw new Error('the simulator received nothing');
    return request.body;
  }

  async function traceInfo(traceId: string): Promise<TraceInfoJson> {
    return eventually(async () => {
      const info = await sut.reader.getTraceInfo(traceId);
      return info?.state === 'IN_PROGRESS' ? undefined : info;
    });
  }

  /** The trace's `mlflow.linkedPrompts` tag, once StartTraceV3 has written it. */
  async function linkedPrompts(traceId: string): Promise<unknown> {
    const tag = await eventually(async () => {
      const info = await sut.reader.getTraceInfo(traceId);
      return info?.tags['mlflow.linkedPrompts'];
    });
    return JSON.parse(tag);
  }

  async function spanNamed(traceId: string, name: string): Promise<ReadSpan> {
    await traceInfo(traceId);
    return eventually(async () =>
      sut.reader.getTraceSpans(traceId).then((spans) => spans.find((span) => span.name === name)),
    );
  }

  it('renders a pinned text version as the system message and links it to the trace', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: MODEL,
        messages: [{ role: 'user', content: 'Hello!' }],
        // @ts-expect-error arkgate's extra body field
        prompt: { uri: `prompts:/${TEXT}/2`, variables: { name: 'Ada' } },
      })
      .withResponse();
    expect(data.choices[0].message.content).toBeTruthy();

    const upstream = lastUpstreamBody();
    expect(upstream.messages).toEqual([
      { role: 'system', content: 'Version two: greet Ada warmly.' },
      { role: 'user', content: 'Hello!' },
    ]);
    expect(upstream).not.toHaveProperty('prompt');

    const traceId = response.headers.get('x-mlflow-trace-id')!;
    expect(await linkedPrompts(traceId)).toEqual([{ name: TEXT, version: '2' }]);
    const span = await spanNamed(traceId, `prompt:${TEXT}`);
    expect(span.attributes['mlflow.spanType']).toBe('PARSER');
    // A JSON string, as MLflow's Python SDK sets it; 3.18 reads it back parsed.
    expect(parsedJson(span.attributes['mlflow.linkedPrompts'])).toEqual([
      { name: TEXT, version: '2' },
    ]);
    expect(span.attributes['mlflow.spanOutputs']).toEqual({ messages: upstream.messages });
    const root = (await sut.reader.getTraceSpans(traceId)).find((s) => !s.parentSpanId)!;
    expect(span.parentSpanId).toBe(root.spanId);

    // The link-prompts association, searchable the way the MLflow UI filters by prompt.
    const linked = await eventually(async () => {
      const found = await sut.reader.searchTraces({
        experimentIds: [await sut.experimentId()],
        filter: `prompt = '${TEXT}/2'`,
      });
      return found.some((trace) => trace.trace_id === traceId) ? found : undefined;
    });
    expect(linked.map((trace) => trace.trace_id)).toContain(traceId);
  });

  it("applies the model config as defaults the request overrides, and a text prompt alone is the user's message", async () => {
    const answer = await send(`${sut.url}/v1/chat`, {
      prompt: { name: TEXT, alias: 'prod', variables: { tone: 'kind', name: 'Grace' } },
      temperature: 0.9,
    });
    expect(answer.status).toBe(200);
    const upstream = lastUpstreamBody();
    expect(upstream.messages).toEqual([
      { role: 'user', content: 'You are kind. Greet Grace by name.' },
    ]);
    expect(upstream).toMatchObject({ model: MODEL, temperature: 0.9, max_tokens: 77 });
    expect(upstream).not.toHaveProperty('prompt');
    expect(upstream).not.toHaveProperty('provider');

    expect(await linkedPrompts(answer.body.traceId)).toEqual([{ name: TEXT, version: '1' }]);
  });

  it("puts a chat prompt's messages before the request's on the app route", async () => {
    const answer = await send(`${sut.url}/v1/chat`, {
      model: MODEL,
      input: 'And the second thing?',
      prompt: {
        uri: `prompts:/${CHAT}@prod`,
        variables: { product: 'arkgate', question: 'How do I rotate my key?' },
      },
    });
    expect(answer.status).toBe(200);
    expect(lastUpstreamBody().messages).toEqual([
      { role: 'system', content: 'You are the support agent of arkgate.' },
      { role: 'user', content: 'Question: How do I rotate my key?' },
      { role: 'user', content: 'And the second thing?' },
    ]);
  });

  it('takes the prompt and var.* parameters on GET /v1/chat/stream', async () => {
    const query = new URLSearchParams({
      prompt: `${CHAT}@prod`,
      'var.product': 'MLflow',
      'var.question': 'What is a trace?',
      model: MODEL,
    });
    const stream = await openSse(`${sut.url}/v1/chat/stream?${query.toString()}`);
    expect(stream.status).toBe(200);
    const messages = await stream.readAll();
    expect(messages.at(-1)?.event).toBe('done');
    const upstream = lastUpstreamBody();
    expect(upstream.messages).toEqual([
      { role: 'system', content: 'You are the support agent of MLflow.' },
      { role: 'user', content: 'Question: What is a trace?' },
    ]);
    expect(upstream).not.toHaveProperty('prompt');
    expect(upstream).not.toHaveProperty('var.product');
    const { traceId } = dataOf<{ traceId: string }>(messages.at(-1)!);
    expect(await linkedPrompts(traceId)).toEqual([{ name: CHAT, version: '1' }]);
  });

  it('streams with a prompt on the OpenAI route too', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: {
        model: MODEL,
        stream: true,
        prompt: { name: TEXT, version: 2, variables: { name: 'Linus' } },
      },
    });
    expect(stream.status).toBe(200);
    expect((await stream.readAll()).at(-1)?.data).toBe('[DONE]');
    expect(lastUpstreamBody().messages).toEqual([
      { role: 'user', content: 'Version two: greet Linus warmly.' },
    ]);
  });

  it('describes a prompt: template, variables, model config and aliases', async () => {
    const byAlias = await send(`${sut.url}/v1/prompts/${TEXT}?alias=prod`);
    expect(byAlias.status).toBe(200);
    expect(byAlias.body).toEqual({
      name: TEXT,
      version: '1',
      uri: `prompts:/${TEXT}/1`,
      type: 'text',
      template: V1_TEXT,
      variables: ['tone', 'name'],
      modelConfig: { provider: 'byteplus', model_name: MODEL, temperature: 0.3, max_tokens: 77 },
      aliases: ['prod'],
    });
    const latest = await send(`${sut.url}/v1/prompts/${TEXT}`);
    expect(latest.body).toMatchObject({ version: '2', variables: ['name'], aliases: [] });
    const chat = await send(`${sut.url}/v1/prompts/${CHAT}?version=1`);
    expect(chat.body).toMatchObject({
      type: 'chat',
      template: CHAT_TEMPLATE,
      variables: ['product', 'question'],
    });
  });

  it('answers a missing variable with a 400 that names it', async () => {
    const answer = await send(`${sut.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
      prompt: { uri: `prompts:/${TEXT}@prod`, variables: { name: 'Ada' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      message: `Prompt "${TEXT}" version 1 needs variable(s) that were not given: tone`,
      type: 'invalid_request_error',
      param: 'prompt.variables.tone',
      code: 'prompt_variable_missing',
    });
  });

  it('holds the request limits on the rendered prompt, not only on what the caller sent', async () => {
    const limited = await startArkgate({
      env: {
        ...sut.env,
        TRACING_ENABLED: 'false',
        MAX_MESSAGE_CHARS: '60',
      },
    });
    try {
      const answer = await send(`${limited.url}/v1/chat/completions`, {
        model: MODEL,
        messages: [{ role: 'user', content: 'hi' }],
        prompt: { uri: `prompts:/${TEXT}@prod`, variables: { name: 'A'.repeat(80), tone: 'dry' } },
      });

      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        type: 'invalid_request_error',
        param: 'messages.0.content',
      });
      expect(answer.body.error.message).toMatch(
        new RegExp(
          `^With prompt "${TEXT}" rendered: messages\\.0\\.content has \\d+ characters; at most 60`,
        ),
      );
      expect(limited.simulator.requests).toHaveLength(0);
    } finally {
      await limited.close();
    }
  });

  it.each([
    [
      { name: 'no-such-prompt', version: 1 },
      'Prompt "no-such-prompt" does not exist',
      'prompt.name',
    ],
    [{ name: TEXT, version: 9 }, `Prompt "${TEXT}" has no version 9`, 'prompt.version'],
    [
      { uri: `prompts:/${TEXT}@staging` },
      `Prompt "${TEXT}" has no alias "staging"`,
      'prompt.alias',
    ],
    [
      { uri: 'prompts:/no-such-prompt@prod' },
      'Prompt "no-such-prompt" does not exist',
      'prompt.name',
    ],
  ])(
    'answers an unknown prompt, version or alias (%j) with a 404 that names it',
    async (prompt, message, param) => {
      const answer = await send(`${sut.url}/v1/chat`, { model: MODEL, input: 'hi', prompt });
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({
        type: 'not_found_error',
        code: 'prompt_not_found',
        param,
      });
      expect(answer.body.error.message).toContain(message);
      const described = await send(`${sut.url}/v1/prompts/no-such-prompt`);
      expect(described.status).toBe(404);
    },
  );

  it('answers a malformed reference with a 400, before calling anyone', async () => {
    const before = sut.simulator.requests.length;
    const answer = await send(`${sut.url}/v1/chat`, {
      input: 'hi',
      prompt: { uri: `prompts:/${TEXT}` },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'invalid_prompt_reference',
      param: 'prompt.uri',
    });
    expect(sut.simulator.requests.length).toBe(before);
  });

  it('follows an alias moved in MLflow within the cache TTL', async () => {
    const ask = async () => {
      const answer = await send(`${sut.url}/v1/chat`, {
        model: MODEL,
        input: 'hi',
        prompt: { uri: `prompts:/${TEXT}@prod`, variables: { tone: 'calm', name: 'Ken' } },
      });
      expect(answer.status).toBe(200);
      return lastUpstreamBody().messages[0].content as string;
    };
    expect(await ask()).toBe('You are calm. Greet Ken by name.');

    await seeder.setAlias(TEXT, 'prod', '2');
    const movedAt = Date.now();
    let seen = await ask();
    while (
      seen !== 'Version two: greet Ken warmly.' &&
      Date.now() - movedAt < 4 * TTL_SECONDS * 1000
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await ask();
    }
    expect(seen).toBe('Version two: greet Ken warmly.');
  });

  // Runs after the alias moved to version 2. Stops and restarts the shared server: the
  // integration project runs in band.
  it('serves cached prompts while MLflow is down, marks them stale, and 503s the uncached', async () => {
    const ask = (prompt: object) =>
      send(`${sut.url}/v1/chat`, { model: MODEL, input: 'hi', prompt });
    const byAlias = { uri: `prompts:/${TEXT}@prod`, variables: { tone: 'terse', name: 'Bo' } };
    const pinned = { uri: `prompts:/${CHAT}/1`, variables: { product: 'p', question: 'q' } };
    expect((await ask(byAlias)).status).toBe(200);
    expect((await ask(pinned)).status).toBe(200);

    const server = sharedMlflowServer();
    await server.stop();
    let staleTraceId: string;
    try {
      await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 500));
      const stale = await ask(byAlias);
      expect(stale.status).toBe(200);
      expect(lastUpstreamBody().messages[0].content).toBe('Version two: greet Bo warmly.');
      staleTraceId = stale.body.traceId;

      expect((await ask(pinned)).status).toBe(200);
      const described = await send(`${sut.url}/v1/prompts/${TEXT}?alias=prod`);
      expect(described.status).toBe(200);
      expect(described.body).toMatchObject({ version: '2' });
      expect(described.body).not.toHaveProperty('aliases');

      const uncached = await ask({ uri: `prompts:/${TEXT}@never-used`, variables: {} });
      expect(uncached.status).toBe(503);
      expect(uncached.headers.get('retry-after')).toBe('5');
      expect(uncached.body.error).toMatchObject({
        type: 'service_unavailable_error',
        code: 'prompt_registry_unavailable',
      });
      expect(uncached.body.error.message).toContain(`prompts:/${TEXT}@never-used is not cached`);
    } finally {
      await server.start();
    }

    // The trace waited in the queue; it records that the prompt came from a stale entry.
    const span = await spanNamed(staleTraceId, `prompt:${TEXT}`);
    expect(span.attributes['arkgate.prompt.source']).toBe('stale');
    expect(span.events.map((event) => event.name)).toContain('prompt_cache_stale');
    expect(await linkedPrompts(staleTraceId)).toEqual([{ name: TEXT, version: '2' }]);

    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    const count = (result: string) =>
      Number(
        new RegExp(`^arkgate_prompt_cache_total\\{result="${result}"\\} (\\d+)`, 'm').exec(
          metrics,
        )?.[1] ?? 0,
      );
    expect(count('hit')).toBeGreaterThan(0);
    expect(count('miss')).toBeGreaterThan(0);
    expect(count('stale')).toBeGreaterThan(0);
  });

  describe('without Redis', () => {
    let local: ArkgateHarness;

    beforeAll(async () => {
      local = await startArkgate({
        env: {
          MLFLOW_TRACKING_URI: readMlflowTestEnv().trackingUri,
          PROMPT_CACHE_TTL_SECONDS: String(TTL_SECONDS),
        },
      });
    });

    afterAll(async () => {
      await local?.close();
    });

    it('resolves prompts through the in-process cache', async () => {
      const answer = await send(`${local.url}/v1/chat`, {
        model: MODEL,
        prompt: { uri: `prompts:/${CHAT}@prod`, variables: { product: 'x', question: 'y?' } },
      });
      expect(answer.status).toBe(200);
      expect((local.simulator.requests.at(-1)?.body as Json).messages).toEqual([
        { role: 'system', content: 'You are the support agent of x.' },
        { role: 'user', content: 'Question: y?' },
      ]);
    });
  });
});
