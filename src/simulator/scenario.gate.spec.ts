import OpenAI, { RateLimitError } from 'openai';
import { ScenarioGate } from './scenario.gate';
import { SimulatorControl } from './simulator-control.model';
import { SimulatorError } from './simulator.error';
import { ModelArkSimulator } from './simulator.server';

const MODEL = 'seed-1-6-250615';
const messages = [{ role: 'user' as const, content: 'hi' }];

describe(ScenarioGate.name, () => {
  describe('check', () => {
    let sut: ScenarioGate;

    beforeEach(() => {
      sut = new ScenarioGate();
    });

    const errorOf = (control: SimulatorControl, key = 'k') => {
      try {
        sut.check(control, { key, model: MODEL });
      } catch (error) {
        return error as SimulatorError;
      }
      return undefined;
    };

    it('lets requests without an error scenario through', () => {
      expect(errorOf({})).toBeUndefined();
      expect(errorOf({ scenario: 'cut-stream' })).toBeUndefined();
    });

    it('fails a fail-once key exactly once until reset', () => {
      expect(errorOf({ scenario: 'fail-once' }, 'a')?.status).toBe(500);
      expect(errorOf({ scenario: 'fail-once' }, 'a')).toBeUndefined();
      expect(errorOf({ scenario: 'fail-once' }, 'b')?.status).toBe(500);

      sut.reset();

      expect(errorOf({ scenario: 'fail-once' }, 'a')?.status).toBe(500);
    });

    it('prefers the control key over the fallback key', () => {
      expect(errorOf({ scenario: 'fail-once', key: 'same' }, 'first')?.status).toBe(500);
      expect(errorOf({ scenario: 'fail-once', key: 'same' }, 'second')).toBeUndefined();
    });

    it('adds retry-after-ms to retryable errors only', () => {
      expect(errorOf({ scenario: 'error-503', retryAfterMs: 5 })?.headers).toEqual({
        'retry-after-ms': '5',
      });
      expect(errorOf({ scenario: 'error-400', retryAfterMs: 5 })?.headers).toEqual({});
    });
  });

  describe('over HTTP', () => {
    let sim: ModelArkSimulator;
    let client: OpenAI;

    beforeAll(async () => {
      sim = await ModelArkSimulator.start();
      client = new OpenAI({ apiKey: 'test-key', baseURL: sim.url, maxRetries: 0 });
    });

    afterAll(() => sim.close());

    beforeEach(() => sim.reset());

    const withScenario = (control: Record<string, unknown>, stream = false) =>
      client.chat.completions.create(
        { model: MODEL, messages, stream },
        { headers: { 'x-simulator': JSON.stringify(control) } },
      );

    it.each([
      ['error-400', OpenAI.BadRequestError, 400, 'InvalidParameter', 'invalid_request_error'],
      ['error-401', OpenAI.AuthenticationError, 401, 'AuthenticationError', 'authentication_error'],
      ['error-403', OpenAI.PermissionDeniedError, 403, 'AccessDenied', 'permission_error'],
      [
        'error-404',
        OpenAI.NotFoundError,
        404,
        'InvalidEndpointOrModel.NotFound',
        'invalid_request_error',
      ],
      [
        'error-429',
        OpenAI.RateLimitError,
        429,
        'RateLimitExceeded.EndpointRPMExceeded',
        'rate_limit_error',
      ],
      ['error-500', OpenAI.InternalServerError, 500, 'InternalServiceError', 'server_error'],
      ['error-503', OpenAI.InternalServerError, 503, 'ServiceUnavailable', 'server_error'],
    ])('%s gives the SDK a %p', async (scenario, errorClass, status, code, type) => {
      const request = withScenario({ scenario });

      await expect(request).rejects.toBeInstanceOf(errorClass);
      await expect(request).rejects.toMatchObject({ status, code, type });
      expect(sim.requests).toHaveLength(1);
    });

    it('names the model in the 404 message', async () => {
      const error = (await withScenario({ scenario: 'error-404' }).catch((e: unknown) => e)) as {
        message: string;
        param: string;
      };

      expect(error.message).toContain(`The model or endpoint ${MODEL} does not exist`);
      expect(error.param).toBe('model');
    });

    it('sends retry-after, 1 second by default, with a 429', async () => {
      const byDefault = await withScenario({ scenario: 'error-429' }).catch((e: unknown) => e);
      const chosen = await withScenario({ scenario: 'error-429', retry_after: 2 }).catch(
        (e: unknown) => e,
      );

      expect((byDefault as RateLimitError).headers.get('retry-after')).toBe('1');
      expect((chosen as RateLimitError).headers.get('retry-after')).toBe('2');
    });

    it('reads the scenario from the body field too, and fails streams before they start', async () => {
      const request = client.chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
        simulator: { scenario: 'error-429' },
      } as OpenAI.ChatCompletionCreateParamsStreaming);

      await expect(request).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    });

    it('fails the first fail-once request and lets the SDK retry succeed', async () => {
      const retrying = new OpenAI({ apiKey: 'test-key', baseURL: sim.url, maxRetries: 1 });

      const completion = await retrying.chat.completions.create(
        { model: MODEL, messages },
        {
          headers: {
            'x-simulator': JSON.stringify({ scenario: 'fail-once', key: 'k1', retry_after_ms: 1 }),
          },
        },
      );

      expect(completion.choices[0].message.content).toBe('Simulated reply to: hi');
      expect(sim.requests.map((request) => request.status)).toEqual([500, 200]);
    });

    it('keys fail-once by the request itself when no key is given', async () => {
      const body = { model: MODEL, messages, simulator: { scenario: 'fail-once' } };
      const post = () =>
        fetch(`${sim.url}/chat/completions`, { method: 'POST', body: JSON.stringify(body) });

      expect((await post()).status).toBe(500);
      expect((await post()).status).toBe(200);
    });

    it('rejects an unknown scenario with a 400 naming the field', async () => {
      const request = withScenario({ scenario: 'error-418' });

      await expect(request).rejects.toBeInstanceOf(OpenAI.BadRequestError);
      await expect(request).rejects.toMatchObject({ param: 'simulator.scenario' });
    });

    it('does not let the control change the answer', async () => {
      const plain = await client.chat.completions.create({ model: MODEL, messages });
      const controlled = await withScenario({ latency_ms: 1, token_delay_ms: 1 });

      expect(controlled).toMatchObject({ choices: plain.choices, usage: plain.usage });
    });
  });
});
