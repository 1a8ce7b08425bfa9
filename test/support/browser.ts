import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
  type Request,
} from 'playwright-core';
import { REPO_ROOT } from './mlflow-test-env';

/** Debian's chromium; CI installs it with scripts/lib.sh `ensure_chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/** Flags for a headless chromium in a container: no sandbox, GPU, QUIC or background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export type PageProblemKind = 'console' | 'csp' | 'pageerror' | 'requestfailed';

/** Something that went wrong in the page: a console error, an uncaught error, a failed request. */
export interface PageProblem {
  kind: PageProblemKind;
  text: string;
  url?: string;
}

export interface BrowserFixture {
  /** The current test's page, in a context of its own. */
  readonly page: Page;
  readonly context: BrowserContext;
  /** Everything that went wrong in the current test's pages so far. */
  readonly problems: readonly PageProblem[];
  /**
   * Saves `test-results/screenshots/<spec>-<test>[-<label>].png` of the test's page (or of
   * `target`, e.g. a popup it opened); returns its path.
   */
  screenshot(label?: string, target?: Page): Promise<string>;
  /** The problems `expected` does not account for (default: none is expected). */
  unexpectedProblems(expected?: (problem: PageProblem) => boolean): PageProblem[];
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);

function problemOf(message: ConsoleMessage): PageProblem | undefined {
  if (message.type() !== 'error') return undefined;
  const text = message.text();
  const kind = /Content Security Policy/i.test(text) ? 'csp' : 'console';
  return { kind, text, url: message.location().url || undefined };
}

function failedRequest(request: Request): PageProblem {
  const reason = request.failure()?.errorText ?? 'failed';
  return { kind: 'requestfailed', text: `${request.method()} ${reason}`, url: request.url() };
}

/**
 * Registers jest hooks for one spec file: one chromium for the file (closed in afterAll, whatever
 * happened), a fresh context and page per test, a screenshot at the end of every test, and a
 * record of the page's console errors, CSP violations, uncaught errors and failed requests.
 */
export function useBrowser(viewport = { width: 1280, height: 900 }): BrowserFixture {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let problems: PageProblem[] = [];

  const testSlug = () => {
    const { testPath, currentTestName } = expect.getState();
    const spec = basename(testPath ?? 'spec').replace(/\.browser-spec\.ts$/, '');
    return `${slug(spec)}-${slug(currentTestName ?? 'test')}`;
  };

  const screenshot = async (label?: string, target = page) => {
    if (!target) throw new Error('no page: screenshot() is for inside a test');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const name = label ? `${testSlug()}-${slug(label)}` : testSlug();
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await target.screenshot({ path });
    return path;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });

  beforeEach(async () => {
    if (!browser) throw new Error('chromium did not start');
    problems = [];
    context = await browser.newContext({ viewport });
    page = await context.newPage();
    page.on('console', (message) => {
      const problem = problemOf(message);
      if (problem) problems.push(problem);
    });
    page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.message }));
    page.on('requestfailed', (request) => problems.push(failedRequest(request)));
  });

  afterEach(async () => {
    try {
      if (page && !page.isClosed()) await screenshot().catch(() => undefined);
    } finally {
      await context?.close().catch(() => undefined);
      context = undefined;
      page = undefined;
    }
  });

  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });

  return {
    get page() {
      if (!page) throw new Error('no page: the browser fixture is for inside a test');
      return page;
    },
    get context() {
      if (!context) throw new Error('no context: the browser fixture is for inside a test');
      return context;
    },
    get problems() {
      return problems;
    },
    screenshot,
    unexpectedProblems: (expected = () => false) => problems.filter((p) => !expected(p)),
  };
}
