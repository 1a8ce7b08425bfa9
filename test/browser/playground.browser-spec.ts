import type { Page } from 'playwright-core';
import type { SimulatorRequest } from '../../src/simulator/simulator-request.model';
import { startArkgate, type ArkgateHarness } from '../support/arkgate.harness';
import { useBrowser, type PageProblem } from '../support/browser';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(90_000);

const REDIS_DB = 1;
const TOKEN_DELAY_MS = 40;
const API_KEY = 'sk-web-test';
const QUESTION = 'Explain tracing in six short words please';
/** The simulator answers with one word (one token, one delta) at a time. */
const REPLY = `Simulated reply to: ${QUESTION}`;
const REPLY_TOKENS = REPLY.split(' ').length;
const FOLLOW_UP = 'And now in three words';
const FOLLOW_UP_REPLY = `Simulated reply to: ${FOLLOW_UP}`;
/** Slow enough (about 24 words at 250 ms) to press Stop while the reply is still streaming. */
const SLOW_TOKEN_DELAY_MS = 250;
const LONG_QUESTION =
  'Describe in detail how a gateway records every model call as a trace with spans, usage, ' +
  'sessions and feedback';

/** The chat completions the simulator received (models listings left out). */
const chatCompletions = (sut: ArkgateHarness): readonly SimulatorRequest[] =>
  sut.simulator.requests.filter((request) => request.path.endsWith('/chat/completions'));

const messagesOf = (request: SimulatorRequest | undefined) =>
  (request?.body as { messages?: unknown } | undefined)?.messages;

/** The stream request the page cancels itself when Stop is pressed. */
const abortedStream = (problem: PageProblem) =>
  problem.kind === 'requestfailed' &&
  problem.text === 'POST net::ERR_ABORTED' &&
  (problem.url ?? '').endsWith('/v1/chat/stream');

interface Sample {
  length: number;
  state: string | null;
}

interface PlaygroundConfig {
  authRequired: boolean;
  tokensEnabled: boolean;
  mlflowUiUrl: string | null;
  experimentId?: string | null;
  defaultModel: string;
}

// Runs in the page: records every change of the next assistant message's text length and state
// (the first one added from now on), from DOM mutations and from every animation frame, until the
// test reads it.
const RECORD_ASSISTANT_MESSAGE = `(() => {
  const samples = (window.__assistantSamples = []);
  const next = document.querySelectorAll('[data-testid="assistant-message"]').length;
  const record = () => {
    const message = document.querySelectorAll('[data-testid="assistant-message"]')[next];
    if (!message) return;
    const sample = { length: message.textContent.length, state: message.dataset.state ?? null };
    const last = samples[samples.length - 1];
    if (!last || last.length !== sample.length || last.state !== sample.state) samples.push(sample);
  };
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
  const frame = () => { record(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;

async function sendMessage(page: Page, text: string) {
  await page.evaluate(RECORD_ASSISTANT_MESSAGE);
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('send-button').click();
  const message = page.getByTestId('assistant-message').last();
  await expect(message.getAttribute('data-state')).resolves.toBe('streaming');
  await message.and(page.locator('[data-state="done"]')).waitFor({ timeout: 30_000 });
  const samples = await page.evaluate<Sample[]>('window.__assistantSamples');
  return { message, samples };
}

/** The reply grew through several intermediate lengths while streaming, then was done. */
function expectStreamedTokenByToken(samples: Sample[], finalLength: number) {
  const streaming = samples.filter((sample) => sample.state === 'streaming');
  const intermediate = new Set(
    streaming.map((sample) => sample.length).filter((length) => length > 0 && length < finalLength),
  );
  const lengths = samples.map((sample) => sample.length);

  expect(intermediate.size).toBeGreaterThanOrEqual(3);
  expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  expect(samples.at(-1)).toEqual({ length: finalLength, state: 'done' });
  expect(samples.filter((sample) => sample.state === 'done')).toHaveLength(1);
}

async function playgroundConfig(url: string): Promise<PlaygroundConfig> {
  return (await (await fetch(`${url}/playground/config.json`)).json()) as PlaygroundConfig;
}

describe('The playground at /playground, in chromium', () => {
  const browser = useBrowser();

  describe('with tracing to MLflow and auth off', () => {
    let sut: TracedArkgate;

    beforeAll(async () => {
      sut = await startTracedArkgate({
        experimentName: 'arkgate-browser-playground',
        redisDb: REDIS_DB,
        simulator: { tokenDelayMs: TOKEN_DELAY_MS },
      });
    });

    afterAll(() => sut?.close());

    it('streams the reply token by token, links its MLflow trace and records a thumbs up on it', async () => {
      const { page } = browser;
      await expect(playgroundConfig(sut.url)).resolves.toEqual(
        expect.objectContaining({ authRequired: false, defaultModel: 'seed-1-6-250615' }),
      );
      const response = await page.goto(`${sut.url}/playground`);
      expect(response?.status()).toBe(200);
      await page.getByTestId('message-input').waitFor();
      await expect(page.getByTestId('api-key-input').isVisible()).resolves.toBe(false);
      await expect(page.getByTestId('model-select').inputValue()).resolves.toBe('seed-1-6-250615');

      const { message, samples } = await sendMessage(page, QUESTION);
      await browser.screenshot('reply-done');

      expectStreamedTokenByToken(samples, REPLY.length);
      await expect(message.innerText()).resolves.toBe(REPLY);

      const link = page.getByTestId('trace-link');
      await page.waitForSelector('[data-testid="trace-link"][href*="selectedEvaluationId"]');
      const traceId = (await link.getAttribute('data-trace-id')) ?? '';
      expect(traceId).toMatch(/^tr-[0-9a-f]{32}$/);
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toContain(traceId);
      expect(href).toContain(`/#/experiments/${await sut.experimentId()}/traces?`);

      const info = await eventually(() => sut.reader.getTraceInfo(traceId));
      const spans = await sut.reader.getTraceSpans(traceId);
      expect(spans.map((span) => span.name)).toContain('Completions');
      const usage = JSON.parse(info.trace_metadata['mlflow.trace.tokenUsage'] ?? '{}') as {
        input_tokens?: number;
        output_tokens?: number;
        total_tokens?: number;
      };
      expect(usage.output_tokens).toBe(REPLY_TOKENS);
      const shownUsage = page.getByTestId('usage');
      await expect(shownUsage.getAttribute('data-prompt')).resolves.toBe(
        String(usage.input_tokens),
      );
      await expect(shownUsage.getAttribute('data-completion')).resolves.toBe(String(REPLY_TOKENS));
      await expect(shownUsage.innerText()).resolves.toContain(`completion ${REPLY_TOKENS}`);

      await page.getByTestId('feedback-up').click();
      await page.waitForSelector('[data-testid="feedback-status"][data-status="accepted"]');
      await expect(page.getByTestId('feedback-status').innerText()).resolves.toMatch(/accepted/);
      await browser.screenshot('feedback-accepted');
      const assessment = await eventually(async () => {
        const traced = (await sut.reader.getTraceInfo(traceId)) as {
          assessments?: {
            assessment_name: string;
            source: { source_type: string };
            feedback?: { value: unknown };
          }[];
        };
        return traced.assessments?.find((found) => found.assessment_name === 'user_feedback');
      }, 30_000);
      expect(assessment).toEqual(
        expect.objectContaining({
          source: expect.objectContaining({ source_type: 'HUMAN' }),
          feedback: { value: true },
        }),
      );

      // A second turn: the simulator gets the whole conversation, and both traces share the session.
      const second = await sendMessage(page, FOLLOW_UP);
      await browser.screenshot('second-turn-done');
      expectStreamedTokenByToken(second.samples, FOLLOW_UP_REPLY.length);
      await expect(second.message.innerText()).resolves.toBe(FOLLOW_UP_REPLY);
      await expect(page.getByTestId('user-message').allInnerTexts()).resolves.toEqual([
        QUESTION,
        FOLLOW_UP,
      ]);
      await expect(page.getByTestId('assistant-message').allInnerTexts()).resolves.toEqual([
        REPLY,
        FOLLOW_UP_REPLY,
      ]);
      const completions = chatCompletions(sut);
      expect(completions).toHaveLength(2);
      expect(messagesOf(completions[0])).toEqual([{ role: 'user', content: QUESTION }]);
      expect(messagesOf(completions[1])).toEqual([
        { role: 'user', content: QUESTION },
        { role: 'assistant', content: REPLY },
        { role: 'user', content: FOLLOW_UP },
      ]);

      await page.waitForSelector(
        `[data-testid="trace-link"][data-trace-id]:not([data-trace-id="${traceId}"])`,
      );
      const secondTraceId = (await link.getAttribute('data-trace-id')) ?? '';
      expect(secondTraceId).toMatch(/^tr-[0-9a-f]{32}$/);
      const sessionId = await page.getByTestId('session-id').innerText();
      expect(sessionId).toMatch(/^pg-/);
      const secondInfo = await eventually(() => sut.reader.getTraceInfo(secondTraceId));
      expect(info.trace_metadata['mlflow.trace.session']).toBe(sessionId);
      expect(secondInfo.trace_metadata['mlflow.trace.session']).toBe(sessionId);

      // The link opens the (second) trace in the MLflow UI.
      const [mlflowPage] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await mlflowPage.getByText('Completions', { exact: true }).first().waitFor({
        timeout: 60_000,
      });
      await browser.screenshot('mlflow-trace-page', mlflowPage);
      await mlflowPage.close();

      expect(browser.unexpectedProblems()).toEqual([]);
    });
  });

  describe('with auth on and browser tokens', () => {
    let sut: TracedArkgate;

    beforeAll(async () => {
      sut = await startTracedArkgate({
        experimentName: 'arkgate-browser-playground-auth',
        redisDb: REDIS_DB,
        simulator: { tokenDelayMs: TOKEN_DELAY_MS },
        env: {
          GATEWAY_AUTH: 'on',
          GATEWAY_API_KEYS: `web:${API_KEY}`,
          GATEWAY_TOKEN_SECRET: 'playground-browser-test-secret-0123456789',
          // As `npm run demo` sets it: the key form suggests the demo's key.
          PLAYGROUND_KEY_HINT: API_KEY,
        },
      });
    });

    afterAll(() => sut?.close());

    it('asks for the API key, then streams and sends feedback with a browser token, never the key in a URL', async () => {
      const { page } = browser;
      const requests: { method: string; url: string; authorization?: string; body?: string }[] = [];
      page.on('request', (request) =>
        requests.push({
          method: request.method(),
          url: request.url(),
          authorization: request.headers().authorization,
          body: request.postData() ?? undefined,
        }),
      );
      await expect(playgroundConfig(sut.url)).resolves.toEqual(
        expect.objectContaining({ authRequired: true, tokensEnabled: true }),
      );

      await page.goto(`${sut.url}/playground`);
      const keyInput = page.getByTestId('api-key-input');
      await keyInput.waitFor();
      await expect(keyInput.getAttribute('type')).resolves.toBe('password');
      await expect(keyInput.getAttribute('placeholder')).resolves.toContain(API_KEY);
      await expect(page.getByTestId('message-input').isVisible()).resolves.toBe(false);
      await browser.screenshot('asks-for-key');
      await keyInput.fill(API_KEY);
      await page.getByTestId('api-key-save').click();
      await page.getByTestId('message-input').waitFor();

      const { message, samples } = await sendMessage(page, QUESTION);
      await browser.screenshot('reply-done');

      expectStreamedTokenByToken(samples, REPLY.length);
      await expect(message.innerText()).resolves.toBe(REPLY);
      const streams = requests.filter((request) => request.url.includes('/v1/chat/stream'));
      expect(streams).toEqual([
        expect.objectContaining({
          method: 'POST',
          url: `${sut.url}/v1/chat/stream`,
          authorization: expect.stringMatching(/^Bearer agt_/),
        }),
      ]);
      expect(JSON.parse(streams[0].body ?? '{}')).toEqual(
        expect.objectContaining({ messages: [{ role: 'user', content: QUESTION }] }),
      );
      const minted = requests.filter((request) => request.url.endsWith('/v1/tokens'));
      expect(minted).toEqual([expect.objectContaining({ authorization: `Bearer ${API_KEY}` })]);

      await page.getByTestId('feedback-up').click();
      await page.waitForSelector('[data-testid="feedback-status"][data-status="accepted"]');
      const feedback = requests.filter((request) => request.url.includes('/feedback'));
      expect(feedback).toEqual([
        expect.objectContaining({ authorization: expect.stringMatching(/^Bearer agt_/) }),
      ]);
      const inUrls = requests.filter(({ url }) => /agt_|access_token|sk-/.test(url));
      expect(inUrls).toEqual([]);
      const withKey = requests
        .filter((request) => request.authorization === `Bearer ${API_KEY}`)
        .map((request) => `${request.method} ${new URL(request.url).pathname}`);
      expect(new Set(withKey)).toEqual(
        new Set(['POST /v1/tokens', 'GET /v1/models', 'GET /v1/prompts']),
      );
      expect(requests.filter((request) => request.body?.includes(API_KEY))).toEqual([]);
      expect(browser.unexpectedProblems()).toEqual([]);
    });

    it('mints a new token once when the stream answers 401, and asks for the key when refused again', async () => {
      const { page } = browser;
      const streamTokens: string[] = [];
      const minted: string[] = [];
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path === '/v1/chat/stream') streamTokens.push(request.headers().authorization ?? '');
        if (path === '/v1/tokens') minted.push(request.method());
      });
      let refusals = 1;
      await page.route('**/v1/chat/stream', (route) =>
        refusals-- > 0
          ? route.fulfill({
              status: 401,
              contentType: 'application/json',
              body: JSON.stringify({
                error: { message: 'Token expired', type: 'authentication_error', code: null },
              }),
            })
          : route.continue(),
      );
      await page.goto(`${sut.url}/playground`);
      await page.getByTestId('api-key-input').fill(API_KEY);
      await page.getByTestId('api-key-save').click();
      await page.getByTestId('message-input').fill(QUESTION);
      await page.getByTestId('send-button').click();

      const message = page.getByTestId('assistant-message');
      await message.and(page.locator('[data-state="done"]')).waitFor({ timeout: 30_000 });
      await expect(message.innerText()).resolves.toBe(REPLY);
      expect(minted).toEqual(['POST', 'POST']);
      expect(streamTokens).toHaveLength(2);
      expect(streamTokens[0]).toMatch(/^Bearer agt_/);
      expect(streamTokens[1]).toMatch(/^Bearer agt_/);

      refusals = 2;
      await page.getByTestId('message-input').fill(FOLLOW_UP);
      await page.getByTestId('send-button').click();
      await page.getByTestId('api-key-input').waitFor();
      expect(minted).toHaveLength(3);
      await expect(page.getByTestId('error-banner').innerText()).resolves.toContain('(401)');
      await browser.screenshot('asks-for-key-again');
      const problems = browser.unexpectedProblems(
        (problem) => problem.kind === 'console' && problem.text.includes('401'),
      );
      expect(problems).toEqual([]);
    });
  });

  describe('untraced, with a slow model', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        // Untraced, but with MLflow's prompt registry, so the page loads without an error.
        env: {
          ARK_DEFAULT_MODEL: 'seed-1-6-250615',
          MLFLOW_TRACKING_URI: readMlflowTestEnv().trackingUri,
        },
        simulator: { tokenDelayMs: SLOW_TOKEN_DELAY_MS },
      });
    });

    afterAll(() => sut?.close());

    it('stops the reply mid-stream, keeps the partial answer in the conversation and sends again', async () => {
      const { page } = browser;
      await page.goto(`${sut.url}/playground`);
      await page.getByTestId('message-input').waitFor();
      const stop = page.getByTestId('stop-button');
      await expect(stop.isVisible()).resolves.toBe(false);

      await page.getByTestId('message-input').fill(LONG_QUESTION);
      await page.getByTestId('send-button').click();
      const message = page.getByTestId('assistant-message').first();
      // Three words in, of about two dozen.
      await eventually(async () => {
        const words = ((await message.textContent()) ?? '').split(' ').length;
        return words >= 3 ? true : undefined;
      });
      await expect(message.getAttribute('data-state')).resolves.toBe('streaming');
      await browser.screenshot('streaming');
      await stop.click();

      await message.and(page.locator('[data-state="stopped"]')).waitFor();
      await browser.screenshot('stopped');
      const partial = await message.innerText();
      const fullReply = `Simulated reply to: ${LONG_QUESTION}`;
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(fullReply.length);
      expect(fullReply.startsWith(partial)).toBe(true);
      await expect(stop.isVisible()).resolves.toBe(false);
      await expect(page.getByTestId('send-button').isEnabled()).resolves.toBe(true);
      await eventually(async () => (chatCompletions(sut)[0]?.aborted ? true : undefined));

      await page.getByTestId('message-input').fill(FOLLOW_UP);
      await page.getByTestId('send-button').click();
      const next = page.getByTestId('assistant-message').nth(1);
      await next.and(page.locator('[data-state="done"]')).waitFor({ timeout: 30_000 });
      await expect(next.innerText()).resolves.toBe(FOLLOW_UP_REPLY);
      // The stopped answer stays on the page and in what the model is sent.
      await expect(message.innerText()).resolves.toBe(partial);
      await expect(message.getAttribute('data-state')).resolves.toBe('stopped');
      expect(messagesOf(chatCompletions(sut)[1])).toEqual([
        { role: 'user', content: LONG_QUESTION },
        { role: 'assistant', content: partial },
        { role: 'user', content: FOLLOW_UP },
      ]);
      await browser.screenshot('sent-again');
      expect(browser.unexpectedProblems(abortedStream)).toEqual([]);
    });

    it('reads an SSE stream with CRLF line ends, comments and multi-line data', async () => {
      const { page } = browser;
      const done = { id: 'c-1', model: 'm', finishReason: 'stop', traceId: null };
      const usage = { promptTokens: 4, completionTokens: 2, totalTokens: 6 };
      const stream = [
        ': keep-alive',
        '',
        'event: delta',
        'data: {"content":"Hel"}',
        '',
        ': keep-alive',
        'event: delta',
        'data: {"content":',
        'data: "lo <b>there</b>"}',
        '',
        'event: done',
        `data: ${JSON.stringify({ ...done, usage })}`,
        '',
        '',
      ].join('\r\n');
      await page.route('**/v1/chat/stream', (route) =>
        route.fulfill({ status: 200, contentType: 'text/event-stream', body: stream }),
      );
      await page.goto(`${sut.url}/playground`);
      await page.getByTestId('message-input').fill(QUESTION);
      await page.getByTestId('send-button').click();

      const message = page.getByTestId('assistant-message');
      await message.and(page.locator('[data-state="done"]')).waitFor();
      await expect(message.innerText()).resolves.toBe('Hello <b>there</b>');
      await expect(message.locator('b').count()).resolves.toBe(0);
      await expect(page.getByTestId('usage').getAttribute('data-total')).resolves.toBe('6');
      expect(browser.unexpectedProblems()).toEqual([]);
    });

    it('shows an HTTP error from the stream request, and the question can be sent again once', async () => {
      const { page } = browser;
      await page.route('**/v1/chat/stream', (route) =>
        route.fulfill({
          status: 429,
          headers: { 'retry-after': '7' },
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              message: 'Too many requests',
              type: 'rate_limit_error',
              code: null,
              param: null,
            },
          }),
        }),
      );
      await page.goto(`${sut.url}/playground`);
      await page.getByTestId('message-input').fill(FOLLOW_UP);
      await page.getByTestId('send-button').click();

      const failed = page.getByTestId('assistant-message');
      await failed.and(page.locator('[data-state="error"]')).waitFor();
      const banner = await page.getByTestId('error-banner').innerText();
      expect(banner).toContain('rate limit reached (429)');
      expect(banner).toContain('Try again in 7 s');
      expect(banner).toContain('Too many requests');
      await expect(page.getByTestId('message-input').inputValue()).resolves.toBe(FOLLOW_UP);
      await browser.screenshot('rate-limited');

      await page.unroute('**/v1/chat/stream');
      const before = chatCompletions(sut).length;
      await page.getByTestId('send-button').click();
      const answered = page.getByTestId('assistant-message').nth(1);
      await answered.and(page.locator('[data-state="done"]')).waitFor({ timeout: 30_000 });
      // The refused turn is not part of the conversation: the question reaches the model once.
      expect(messagesOf(chatCompletions(sut)[before])).toEqual([
        { role: 'user', content: FOLLOW_UP },
      ]);
      const problems = browser.unexpectedProblems();
      expect(problems).toEqual([
        expect.objectContaining({ kind: 'console', text: expect.stringContaining('429') }),
      ]);
    });
  });
});
