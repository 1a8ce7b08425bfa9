import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { JsonAnswer, postJson } from './json.client';

// A test may first wait out the end of a minute (up to ~11 s).
jest.setTimeout(30_000);

const LIMITED_KEY = 'sk-limited-0123456789';
const ROOMY_KEY = 'sk-roomy-0123456789';
const STREAMING_KEY = 'sk-streaming-0123456789';
const COMPLETION = { model: MODEL, messages: userSays('Hello') };

const withKey = (key: string) => ({ 'content-type': 'application/json', 'x-api-key': key });

/** Windows are whole minutes: start a burst early in one, so it cannot straddle two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
}

function expect429(answer: JsonAnswer, message: RegExp): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toEqual({
    error: {
      message: expect.stringMatching(message),
      type: 'rate_limit_error',
      param: null,
      code: 'rate_limit_exceeded',
    },
  });
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  // arkgate's own limit: retrying after retry-after is right, so SDKs keep their own rule.
  expect(answer.headers.get('x-should-retry')).toBeNull();
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('Rate limits per API key (in memory)', () => {
  describe('requests per minute', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: {
          GATEWAY_AUTH: 'on',
          // `limited` uses RATE_LIMIT_RPM; `roomy` overrides it (0 = unlimited).
          GATEWAY_API_KEYS: `limited:${LIMITED_KEY},roomy:${ROOMY_KEY}:0`,
          RATE_LIMIT_RPM: '2',
          ARK_DEFAULT_MODEL: MODEL,
        },
      });
    });

    afterAll(() => sut.close());

    it('counts down in x-ratelimit-* headers, then answers 429 with retry-after', async () => {
      await awayFromMinuteBoundary();
      const send = () =>
        postJson(`${sut.url}/v1/chat/completions`, COMPLETION, withKey(LIMITED_KEY));
      const first = await send();
      const second = await send();
      sut.simulator.reset();
      const third = await send();

      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
      expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/);
      expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect429(third, /^Rate limit of 2 requests per minute reached for API key "limited"/);
      expect(third.headers.get('x-ratelimit-limit-requests')).toBe('2');
      expect(third.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(sut.simulator.requests).toHaveLength(0);
    });

    it('limits each key on its own, with per-key overrides', async () => {
      const answers = [];
      for (let i = 0; i < 4; i++) {
        answers.push(
          await postJson(`${sut.url}/v1/chat/completions`, COMPLETION, withKey(ROOMY_KEY)),
        );
      }

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(answers[0].headers.get('x-ratelimit-limit-requests')).toBeNull();
    });
  });

  describe('tokens per minute, from reported usage', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: {
          GATEWAY_AUTH: 'on',
          GATEWAY_API_KEYS: `limited:${LIMITED_KEY},roomy:${ROOMY_KEY}::1000000,streaming:${STREAMING_KEY}`,
          RATE_LIMIT_TPM: '5',
          ARK_DEFAULT_MODEL: MODEL,
        },
      });
    });

    afterAll(() => sut.close());

    it('lets the call that crosses the limit finish, then refuses the next with 429', async () => {
      await awayFromMinuteBoundary();
      const send = () =>
        postJson(`${sut.url}/v1/chat/completions`, COMPLETION, withKey(LIMITED_KEY));
      const first = await send();
      const second = await send();

      expect(first.status).toBe(200);
      expect(first.body.usage.total_tokens).toBeGreaterThan(5);
      expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('5');
      expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('5');
      expect429(second, /^Rate limit of 5 tokens per minute reached/);
      expect(second.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    });

    it('counts the usage of a stream (the app `done` event)', async () => {
      await awayFromMinuteBoundary();
      const sse = await openSse(`${sut.url}/v1/chat/stream`, {
        body: { input: 'Hello' },
        headers: { 'x-api-key': ROOMY_KEY },
      });
      await sse.readUntilTerminal();
      await sse.ended;
      const after = await postJson(`${sut.url}/v1/chat`, { input: 'Hi' }, withKey(ROOMY_KEY));

      expect(sse.status).toBe(200);
      expect(Number(after.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1_000_000);
    });

    it('counts the usage of an OpenAI stream whose caller did not ask for it', async () => {
      await awayFromMinuteBoundary();
      const sse = await openSse(`${sut.url}/v1/chat/completions`, {
        body: { ...COMPLETION, stream: true },
        headers: { 'x-api-key': STREAMING_KEY },
      });
      const events = await sse.readAll();
      const after = await postJson(
        `${sut.url}/v1/chat/completions`,
        COMPLETION,
        withKey(STREAMING_KEY),
      );

      expect(sse.status).toBe(200);
      expect(events.some((event) => event.data.includes('"usage"'))).toBe(false);
      expect429(after, /^Rate limit of 5 tokens per minute reached/);
    });
  });
});
