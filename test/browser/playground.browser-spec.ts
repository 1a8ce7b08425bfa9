import type { Page } from 'playwright-core';
import { isMissingFavicon, useBrowser, type PageProblem } from '../support/browser';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(90_000);

const REDIS_DB = 1;
const TOKEN_DELAY_MS = 40;
const API_KEY = 'sk-web-test';
const QUESTION = 'Explain tracing in six short words please';
/** The simulator answers with one word (one token, one delta) at a time. */
const REPLY = `Simulated reply to: ${QUESTION}`;
const REPLY_TOKENS = REPLY.split(' ').length;

/**
 * What the page may log without failing the test: the 404 of chromium's /favicon.ico request (the
 * page declares no icon; cosmetic), and the stream request the page aborts itself when it closes
 * its EventSource on `done`, which races the server's end of the response.
 */
const expectedProblem = (problem: PageProblem) =>
  isMissingFavicon(problem) ||
  (problem.kind === 'requestfailed' &&
    problem.text === 'GET net::ERR_ABORTED' &&
    (problem.url ?? '').includes('/v1/chat/stream?'));

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

// Runs in the page: records every change of the newest assistant message's text length and
// state, from DOM mutations and from every animation frame, until the test reads it.
const RECORD_ASSISTANT_MESSAGE = `(() => {
  const samples = (window.__assistantSamples = []);
  const record = () => {
    const all = document.querySelectorAll('[data-testid="assistant-message"]');
    const message = all[all.length - 1];
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

      // The link opens the trace in the MLflow UI.
      const [mlflowPage] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await mlflowPage.getByText('Completions', { exact: true }).first().waitFor({
        timeout: 60_000,
      });
      await browser.screenshot('mlflow-trace-page', mlflowPage);
      await mlflowPage.close();

      expect(browser.unexpectedProblems(expectedProblem)).toEqual([]);
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
        },
      });
    });

    afterAll(() => sut?.close());

    it('asks for the API key, then streams and sends feedback with a browser token, never the key in a URL', async () => {
      const { page } = browser;
      const requests: { url: string; authorization?: string }[] = [];
      page.on('request', (request) =>
        requests.push({ url: request.url(), authorization: request.headers().authorization }),
      );
      await expect(playgroundConfig(sut.url)).resolves.toEqual(
        expect.objectContaining({ authRequired: true, tokensEnabled: true }),
      );

      await page.goto(`${sut.url}/playground`);
      const keyInput = page.getByTestId('api-key-input');
      await keyInput.waitFor();
      await expect(keyInput.getAttribute('type')).resolves.toBe('password');
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
      expect(streams).toHaveLength(1);
      expect(new URL(streams[0].url).searchParams.get('access_token')).toMatch(/^agt_/);
      expect(streams[0].authorization).toBeUndefined();
      const minted = requests.filter((request) => request.url.endsWith('/v1/tokens'));
      expect(minted).toEqual([expect.objectContaining({ authorization: `Bearer ${API_KEY}` })]);

      await page.getByTestId('feedback-up').click();
      await page.waitForSelector('[data-testid="feedback-status"][data-status="accepted"]');
      const feedback = requests.filter((request) => request.url.includes('/feedback'));
      expect(feedback).toEqual([
        expect.objectContaining({ authorization: expect.stringMatching(/^Bearer agt_/) }),
      ]);
      expect(requests.filter((request) => request.url.includes(API_KEY))).toEqual([]);
      expect(browser.unexpectedProblems(expectedProblem)).toEqual([]);
    });
  });
});
