import { startArkgate, type ArkgateHarness } from '../support/arkgate.harness';
import { useBrowser } from '../support/browser';

jest.setTimeout(60_000);

const MODEL = 'seed-1-6-250615';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type OpenApiDocument = { paths: Record<string, Record<string, unknown>> };

describe('Swagger UI at /docs, in chromium', () => {
  const browser = useBrowser();
  let sut: ArkgateHarness;
  let document: OpenApiDocument;

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL } });
    document = (await (await fetch(`${sut.url}/docs-json`)).json()) as OpenApiDocument;
  });

  afterAll(() => sut?.close());

  async function openDocs() {
    const { page } = browser;
    const response = await page.goto(`${sut.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor();
    return page;
  }

  it('renders one operation block for every path and method of the OpenAPI document', async () => {
    const page = await openDocs();

    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => `${method} ${path}`),
    );
    const rendered = await page.locator('.opblock').evaluateAll((blocks) =>
      blocks.map((block) => {
        const method = /opblock-(get|put|post|delete|patch|head|options)\b/.exec(
          block.className as string,
        )?.[1];
        const path = block.querySelector('[data-path]')?.getAttribute('data-path') as string;
        return `${method} ${path}`;
      }),
    );

    expect(documented.length).toBeGreaterThan(5);
    expect(documented).toContain('post /v1/chat');
    expect([...rendered].sort()).toEqual([...documented].sort());
    await expect(page.title()).resolves.toBe('arkgate API');
    expect(browser.unexpectedProblems()).toEqual([]);
  });

  it('runs POST /v1/chat/completions from "Try it out" with its example as it stands and shows the reply', async () => {
    const page = await openDocs();
    const operation = page.locator('.opblock.opblock-post', {
      has: page.locator('[data-path="/v1/chat/completions"]'),
    });

    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    // The first documented example, as a newcomer would send it, unchanged.
    const body = operation.locator('textarea.body-param__text');
    const example = JSON.parse(await body.inputValue()) as Record<string, unknown>;
    expect(example.messages).toEqual(
      expect.arrayContaining([expect.objectContaining({ role: 'user' })]),
    );
    await operation.locator('button.execute').click();
    const live = operation.locator('.live-responses-table tbody tr.response');
    await live.locator('.response-col_status').waitFor();
    await live.scrollIntoViewIfNeeded();
    await browser.screenshot('after-execute');

    const status = (await live.locator('.response-col_status').innerText()).trim();
    const shown = await live.locator('.response-col_description pre').first().innerText();
    expect({ status, shown }).toEqual({
      status: '200',
      shown: expect.stringContaining('Simulated reply to: What is the capital of France?'),
    });
    expect(sut.simulator.requests).toHaveLength(1);
    expect(browser.unexpectedProblems()).toEqual([]);
  });

  it('violates no Content-Security-Policy directive while it loads and runs', async () => {
    const page = await openDocs();
    const response = await page.request.get(`${sut.url}/docs`);

    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.opblock-summary').first().click();
    await page.waitForLoadState('networkidle');
    expect(browser.problems.filter((problem) => problem.kind === 'csp')).toEqual([]);
    expect(browser.unexpectedProblems()).toEqual([]);
  });
});
