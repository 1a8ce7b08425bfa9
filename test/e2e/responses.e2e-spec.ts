import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ArkgateHarness, HARNESS_ARK_API_KEY, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse, SseMessage } from '../support/sse.client';
import { getJson, Json, postJson } from './json.client';

const MODEL = 'seed-1-6-250615';
const REASONING_MODEL = 'seed-1-6-thinking-250715';
const QUESTION = 'What is the capital of France?';
const ANSWER = `Simulated reply to: ${QUESTION}`;
const UPSTREAM = { authorization: `Bearer ${HARNESS_ARK_API_KEY}` };

const WEATHER_TOOL = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** Fields that differ between two calls with the same body: ids and timestamps. */
const VOLATILE = new Set(['id', 'item_id', 'call_id', 'created_at']);

/** `value` with every id and timestamp replaced, so two answers to one body compare equal. */
function stable(value: Json): Json {
  if (Array.isArray(value)) return value.map(stable);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      VOLATILE.has(key) ? `<${key}>` : stable(field),
    ]),
  );
}

/** Named events of an SSE body, comments left out. */
const eventsOf = (messages: SseMessage[]) =>
  messages.filter((message) => message.comment === undefined);

const stableEvents = (messages: SseMessage[]) =>
  eventsOf(messages).map((message) => ({ event: message.event, data: stable(dataOf(message)) }));

describe('POST /v1/responses (OpenAI Responses API, native at ModelArk)', () => {
  let sut: ArkgateHarness;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${sut.url}/v1`, maxRetries: 0 });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  const responsesUrl = () => `${sut.url}/v1/responses`;

  /** What the simulator itself answers to `body`: the reference for what arkgate relays. */
  async function simulatorResponse(body: object): Promise<Json> {
    const answer = await postJson(`${sut.simulator.url}/responses`, body, {
      'content-type': 'application/json',
      ...UPSTREAM,
    });
    expect(answer.status).toBe(200);
    sut.simulator.reset();
    return answer.body;
  }

  async function simulatorEvents(body: object): Promise<SseMessage[]> {
    const stream = await openSse(`${sut.simulator.url}/responses`, {
      body: { ...body, stream: true },
      headers: UPSTREAM,
    });
    const messages = await stream.readAll();
    sut.simulator.reset();
    return messages;
  }

  describe('without streaming', () => {
    it('answers the Response ModelArk sent, as it is', async () => {
      const request = { model: MODEL, input: QUESTION };
      const reference = await simulatorResponse(request);

      const { status, headers, body } = await postJson(responsesUrl(), request);

      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(stable(body)).toEqual(stable(reference));
      expect(body.id).toBe(`resp_${sut.simulator.requests[0].id}`);
      expect(body.output[0].content[0].text).toBe(ANSWER);
      expect(body).not.toHaveProperty('output_text');
      expect(sut.simulator.requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/api/v3/responses',
          body: { ...request, stream: false },
          completed: true,
        }),
      ]);
    });

    it('forwards instructions, tools and unknown fields untouched, with ARK_DEFAULT_MODEL', async () => {
      const request = {
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather in Oslo?' }] }],
        instructions: 'Be brief.',
        tools: [WEATHER_TOOL, { type: 'web_search' }],
        thinking: { type: 'disabled' },
        x_vendor_option: { nested: { flag: true, list: [1, 'two', null] } },
      };

      const { status, body } = await postJson(responsesUrl(), request);

      expect(status).toBe(200);
      expect(body.model).toBe(MODEL);
      expect(body.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather' });
      expect(sut.simulator.requests[0].body).toEqual({ ...request, model: MODEL, stream: false });
    });
  });

  describe('with stream: true', () => {
    it("relays ModelArk's events exactly: `event: <type>`, `data: <event>`, no [DONE]", async () => {
      const request = { model: REASONING_MODEL, input: QUESTION };
      const reference = await simulatorEvents(request);

      const stream = await openSse(responsesUrl(), { body: { ...request, stream: true } });
      const messages = await stream.readAll();

      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.text).not.toContain('[DONE]');
      const events = eventsOf(messages);
      expect(events.map((event) => event.event)).toEqual(events.map((event) => dataOf(event).type));
      expect(events.at(-1)?.event).toBe('response.completed');
      expect(stableEvents(messages)).toEqual(stableEvents(reference));
      expect(sut.simulator.requests[0].body).toEqual({ ...request, stream: true });
    });

    it("ends with OpenAI's `error` event when the upstream stream breaks after it started", async () => {
      const stream = await openSse(responsesUrl(), {
        body: { input: QUESTION, stream: true, simulator: { scenario: 'cut-stream' } },
      });
      const events = eventsOf(await stream.readAll());

      expect(stream.status).toBe(200);
      const last = events.at(-1)!;
      const before = dataOf(events.at(-2)!);
      expect(last.event).toBe('error');
      expect(dataOf(last)).toEqual({
        type: 'error',
        code: 'upstream_bad_response',
        message: expect.stringContaining('BytePlus ModelArk'),
        param: null,
        sequence_number: (before.sequence_number as number) + 1,
      });
      expect(events.some((event) => event.event === 'response.completed')).toBe(false);
    });

    it('aborts the upstream call when the client hangs up mid-stream', async () => {
      const stream = await openSse(responsesUrl(), {
        body: {
          input: QUESTION,
          stream: true,
          simulator: { token_delay_ms: 200, tokens: 50 },
        },
      });
      const first = await stream.nextEvent();
      expect(first?.event).toBe('response.created');

      stream.close();

      const aborted = await sut.simulator.waitForAbort(0);
      expect(aborted).toMatchObject({ path: '/api/v3/responses', completed: false });
      const { status } = await postJson(responsesUrl(), { input: 'still there?' });
      expect(status).toBe(200);
    });
  });

  describe('with the official openai client', () => {
    it('creates a response', async () => {
      const reference = await simulatorResponse({ model: MODEL, input: QUESTION });

      const response = await client.responses.create({ model: MODEL, input: QUESTION });

      expect(response).toMatchObject({ object: 'response', status: 'completed', model: MODEL });
      expect(response.output_text).toBe(ANSWER);
      expect(response.usage).toEqual(reference.usage);
    });

    it('streams events, ending with response.completed', async () => {
      const reference = await simulatorEvents({ model: MODEL, input: QUESTION });
      const completedReference = dataOf<Json>(eventsOf(reference).at(-1)!);

      const stream = await client.responses.create({ model: MODEL, input: QUESTION, stream: true });
      const events: ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);

      expect(events.map((event) => event.type)).toEqual(
        eventsOf(reference).map((message) => message.event),
      );
      const deltas = events.filter((event) => event.type === 'response.output_text.delta');
      expect(deltas.map((event) => event.delta).join('')).toBe(ANSWER);
      const completed = events.at(-1);
      expect(completed?.type === 'response.completed' && completed.response.usage).toEqual(
        completedReference.response.usage,
      );
    });

    it('raises an APIError from the `error` event of a broken stream', async () => {
      const stream = await client.responses.create({
        model: MODEL,
        input: QUESTION,
        stream: true,
        simulator: { scenario: 'cut-stream' },
      } as OpenAI.Responses.ResponseCreateParamsStreaming);
      const types: string[] = [];

      const failure = await (async () => {
        for await (const event of stream) types.push(event.type);
      })().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect((failure as Error).message).toContain('BytePlus ModelArk');
      expect(types[0]).toBe('response.created');
    });

    it('raises RateLimitError for a ModelArk 429', async () => {
      const failure = await client.responses
        .create({
          input: QUESTION,
          simulator: { scenario: 'error-429' },
        } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    });
  });

  describe('errors', () => {
    it.each([
      ['no input', { model: MODEL }],
      ['an empty string', { model: MODEL, input: '' }],
      ['an empty array', { model: MODEL, input: [] }],
      ['a number', { model: MODEL, input: 42 }],
      ['an array of strings', { model: MODEL, input: ['hi'] }],
    ])('answers 400 in the OpenAI envelope for %s as input', async (_case, request) => {
      const { status, body } = await postJson(responsesUrl(), request);

      expect(status).toBe(400);
      expect(body).toEqual({
        error: {
          message: 'input must be a non-empty string or a non-empty array of input items',
          type: 'invalid_request_error',
          param: 'input',
          code: 'invalid_request',
        },
      });
      expect(sut.simulator.requests).toEqual([]);
    });

    it.each([false, true])(
      'maps a ModelArk 429 to 429 with retry-after (stream: %s)',
      async (stream) => {
        const { status, headers, body } = await postJson(responsesUrl(), {
          input: QUESTION,
          stream,
          simulator: { scenario: 'error-429', retry_after: 7 },
        });

        expect(status).toBe(429);
        expect(headers.get('retry-after')).toBe('7');
        expect(body).toEqual({
          error: {
            message: expect.stringContaining('RPM rate limit'),
            type: 'rate_limit_error',
            param: null,
            code: 'RateLimitExceeded.EndpointRPMExceeded',
          },
        });
      },
    );
  });

  it('is documented with examples, SSE and OpenAI error responses', async () => {
    const { body: document } = await getJson(`${sut.url}/docs-json`);
    const operation = document.paths['/v1/responses'].post;

    expect(Object.keys(operation.responses['200'].content)).toEqual([
      'application/json',
      'text/event-stream',
    ]);
    expect(operation.responses['200'].content['application/json'].example).toMatchObject({
      object: 'response',
    });
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['400', '429', '502', '503', '504']),
    );
    expect(operation.responses['429'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/OpenAiErrorDto',
    });
  });

  describe('without ARK_DEFAULT_MODEL', () => {
    let bare: ArkgateHarness;

    beforeAll(async () => {
      bare = await startArkgate({ env: { ARK_DEFAULT_MODEL: undefined } });
    });

    afterAll(() => bare.close());

    it.each([false, true])(
      'answers 400 naming `model` when none is given (stream: %s)',
      async (stream) => {
        const { status, body } = await postJson(`${bare.url}/v1/responses`, {
          input: 'hi',
          stream,
        });

        expect(status).toBe(400);
        expect(body.error).toMatchObject({ param: 'model', type: 'invalid_request_error' });
        expect(bare.simulator.requests).toEqual([]);
      },
    );
  });
});
