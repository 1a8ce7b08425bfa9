import { randomUUID } from 'node:crypto';
import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse, SseMessage } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { Json, postJson } from './json.client';

/** BytePlus appends the request id to each error message. */
const fromUpstream = (message: string) =>
  expect.stringMatching(new RegExp(`^${message.replace(/[.()]/g, '\\$&')} Request id: 021\\w+$`));

const AUTH_FAILED = (status: number) =>
  `BytePlus ModelArk rejected arkgate's credentials (${status}); check ARK_API_KEY and that it belongs to the region of ARK_BASE_URL.`;

/** Each upstream error class, and the answer arkgate owes the caller for it. */
const UPSTREAM_ERRORS: Array<[string, number, Json]> = [
  [
    'error-400',
    400,
    {
      message: fromUpstream('The request parameters are invalid (simulated).'),
      type: 'invalid_request_error',
      param: null,
      code: 'InvalidParameter',
    },
  ],
  [
    'error-401',
    502,
    { message: AUTH_FAILED(401), type: 'server_error', param: null, code: 'upstream_auth_failed' },
  ],
  [
    'error-403',
    502,
    { message: AUTH_FAILED(403), type: 'server_error', param: null, code: 'upstream_auth_failed' },
  ],
  [
    'error-404',
    404,
    {
      message: fromUpstream(
        `The model or endpoint ${MODEL} does not exist or you do not have access to it (simulated).`,
      ),
      type: 'not_found_error',
      param: 'model',
      code: 'InvalidEndpointOrModel.NotFound',
    },
  ],
  [
    'error-429',
    429,
    {
      message: fromUpstream(
        'The request has exceeded the RPM rate limit of the model or endpoint (simulated). Please retry later.',
      ),
      type: 'rate_limit_error',
      param: null,
      code: 'RateLimitExceeded.EndpointRPMExceeded',
    },
  ],
  [
    'error-500',
    502,
    {
      message: expect.stringMatching(
        /^BytePlus ModelArk failed \(500\): 500 The service encountered an unexpected internal error \(simulated\)\./,
      ),
      type: 'server_error',
      param: null,
      code: 'upstream_unavailable',
    },
  ],
  [
    'error-503',
    502,
    {
      message: expect.stringMatching(
        /^BytePlus ModelArk failed \(503\): 503 The service is temporarily unavailable \(simulated\)\./,
      ),
      type: 'server_error',
      param: null,
      code: 'upstream_unavailable',
    },
  ],
];

const BROKEN_ANSWER = {
  message: expect.stringMatching(/^BytePlus ModelArk sent a broken answer: /),
  type: 'server_error',
  param: null,
  code: 'upstream_bad_response',
};

const withoutComments = (messages: SseMessage[]) =>
  messages.filter((message) => message.comment === undefined);

describe('Upstream errors, as arkgate answers them', () => {
  describe('without retries (ARK_MAX_RETRIES=0)', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: { ARK_DEFAULT_MODEL: MODEL, ARK_MAX_RETRIES: '0', ARK_TIMEOUT_MS: '500' },
      });
    });

    afterAll(() => sut.close());

    beforeEach(() => sut.simulator.reset());

    describe.each([
      ['/v1/chat/completions', { messages: userSays('hi') }],
      ['/v1/chat', { input: 'hi' }],
    ])('on %s', (path, request) => {
      it.each(UPSTREAM_ERRORS)(
        'maps %s to %i in OpenAI envelope',
        async (scenario, status, error) => {
          const answer = await postJson(`${sut.url}${path}`, {
            ...request,
            simulator: { scenario, retry_after: 7 },
          });

          expect(answer.status).toBe(status);
          expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
          expect(answer.headers.get('x-should-retry')).toBe('false');
          expect(answer.body).toEqual({ error });
          expect(sut.simulator.requests).toHaveLength(1);
          expect(sut.simulator.requests[0].status).toBe(Number(scenario.slice(-3)));
        },
      );

      it('passes retry-after on with a 429', async () => {
        const answer = await postJson(`${sut.url}${path}`, {
          ...request,
          simulator: { scenario: 'error-429', retry_after: 7 },
        });

        expect(answer.status).toBe(429);
        expect(answer.headers.get('retry-after')).toBe('7');
      });

      it('answers 504 when ModelArk does not answer within ARK_TIMEOUT_MS', async () => {
        const answer = await postJson(`${sut.url}${path}`, {
          ...request,
          simulator: { scenario: 'hang' },
        });

        expect(answer.status).toBe(504);
        expect(answer.headers.get('x-should-retry')).toBe('false');
        expect(answer.body).toEqual({
          error: {
            message: 'BytePlus ModelArk did not answer within ARK_TIMEOUT_MS.',
            type: 'timeout_error',
            param: null,
            code: 'upstream_timeout',
          },
        });
        // arkgate hung up on ModelArk rather than leaving the call open.
        await expect(sut.simulator.waitForAbort(0)).resolves.toMatchObject({ completed: false });
      });
    });

    it('answers an error before a stream started with its status, not a stream', async () => {
      const stream = await openSse(`${sut.url}/v1/chat/completions`, {
        body: { messages: userSays('hi'), stream: true, simulator: { scenario: 'error-429' } },
      });

      expect(stream.status).toBe(429);
      expect(stream.headers['content-type']).toMatch(/^application\/json/);
      expect(stream.headers['x-should-retry']).toBe('false');
      expect(stream.headers['retry-after']).toBe('1');
      expect(await stream.json()).toEqual({ error: UPSTREAM_ERRORS[4][2] });
    });

    it('keeps serving after upstream failures', async () => {
      const answer = await postJson(`${sut.url}/v1/chat`, { input: 'still there?' });

      expect(answer.status).toBe(200);
      expect(answer.body.content).toBe('Simulated reply to: still there?');
    });
  });

  describe('when the stream breaks after it started', () => {
    let sut: ArkgateHarness;
    let consoleError: jest.SpyInstance;

    beforeAll(async () => {
      // The OpenAI SDK inside arkgate prints an unparsable chunk with console.error (whatever
      // LOG_LEVEL says) and binds it on first use, so it is silenced before arkgate starts.
      consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
    });

    afterAll(async () => {
      await sut.close();
      consoleError.mockRestore();
    });

    it.each(['cut-stream', 'malformed-stream'])(
      'ends the OpenAI stream (%s) with a final data: {"error": ...}, after a 200',
      async (scenario) => {
        const stream = await openSse(`${sut.url}/v1/chat/completions`, {
          body: { messages: userSays('hi there'), stream: true, simulator: { scenario } },
        });
        const events = withoutComments(await stream.readAll());

        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        const chunks = events.slice(0, -1).map((event) => dataOf<Json>(event));
        expect(chunks.length).toBeGreaterThan(0);
        expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
        expect(dataOf(events.at(-1)!)).toEqual({ error: BROKEN_ANSWER });
        expect(events.some((event) => event.data === '[DONE]')).toBe(false);
        expect(stream.isEnded).toBe(true);
      },
    );

    it.each(['cut-stream', 'malformed-stream'])(
      'ends the app stream (%s) with an `error` event, after a 200',
      async (scenario) => {
        const stream = await openSse(`${sut.url}/v1/chat/stream`, {
          body: { input: 'hi there', simulator: { scenario } },
        });
        const events = withoutComments(await stream.readAll());

        expect(stream.status).toBe(200);
        expect(events.slice(0, -1).every((event) => event.event === 'delta')).toBe(true);
        expect(events.at(-1)!.event).toBe('error');
        expect(dataOf(events.at(-1)!)).toEqual({ status: 502, error: BROKEN_ANSWER });
        expect(events.some((event) => event.event === 'done')).toBe(false);
      },
    );
  });

  describe('with one retry (ARK_MAX_RETRIES=1)', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL, ARK_MAX_RETRIES: '1' } });
    });

    afterAll(() => sut.close());

    beforeEach(() => sut.simulator.reset());

    it.each([
      ['/v1/chat/completions', { messages: userSays('hi') }],
      ['/v1/chat', { input: 'hi' }],
    ])('succeeds on %s when ModelArk fails once (the SDK retried)', async (path, request) => {
      const answer = await postJson(`${sut.url}${path}`, {
        ...request,
        simulator: { scenario: 'fail-once', key: randomUUID(), retry_after_ms: 1 },
      });

      expect(answer.status).toBe(200);
      expect(sut.simulator.requests.map((entry) => entry.status)).toEqual([500, 200]);
      expect(sut.simulator.requests[1].headers['x-stainless-retry-count']).toBe('1');
    });

    it('does not retry a 400', async () => {
      const answer = await postJson(`${sut.url}/v1/chat`, {
        input: 'hi',
        simulator: { scenario: 'error-400' },
      });

      expect(answer.status).toBe(400);
      expect(sut.simulator.requests).toHaveLength(1);
    });
  });
});
