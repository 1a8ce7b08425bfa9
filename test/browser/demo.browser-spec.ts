import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useBrowser } from '../support/browser';
import { DemoRun, answers, isRunning } from '../support/demo-run';
import { MlflowReader } from '../support/mlflow-reader';

jest.setTimeout(240_000);

const run = promisify(execFile);
const DEMO_KEY = 'sk-demo';
const QUESTION = 'Is the demo working';

describe('npm run demo, followed as printed', () => {
  const browser = useBrowser();
  let demo: DemoRun;

  beforeAll(async () => {
    demo = await DemoRun.start();
  });

  afterAll(() => demo?.close());

  it('prints the three addresses, the key, the experiment and two calls', () => {
    expect(demo.printed).toEqual({
      playground: `http://localhost:${demo.ports.arkgate}/playground`,
      docs: `http://localhost:${demo.ports.arkgate}/docs`,
      mlflow: `http://localhost:${demo.ports.mlflow}`,
      key: DEMO_KEY,
      experiment: 'BytePlus',
      calls: [
        expect.stringContaining(`localhost:${demo.ports.arkgate}/v1/chat/completions`),
        expect.stringContaining(`localhost:${demo.ports.arkgate}/v1/chat/stream`),
      ],
    });
    expect(demo.output).toContain(
      `the ModelArk simulator at http://127.0.0.1:${demo.ports.simulator}`,
    );
  });

  it('answers both printed calls as they are printed', async () => {
    const [completion, stream] = await Promise.all(
      demo.printed.calls.map((call) => run('bash', ['-c', call], { timeout: 60_000 })),
    );

    const reply = JSON.parse(completion.stdout) as {
      choices: { message: { content: string } }[];
    };
    expect(reply.choices[0].message.content).toBe('Simulated reply to: Hello arkgate');
    const events = [...stream.stdout.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events.filter((event) => event === 'delta').length).toBeGreaterThan(2);
    expect(events.at(-1)).toBe('done');
  });

  it('opens the printed playground, which suggests the printed key and streams a reply with it', async () => {
    const { page } = browser;
    await page.goto(demo.printed.playground);
    const keyInput = page.getByTestId('api-key-input');
    await keyInput.waitFor();
    await expect(keyInput.getAttribute('placeholder')).resolves.toContain(demo.printed.key);
    await keyInput.fill(demo.printed.key);
    await page.getByTestId('api-key-save').click();
    await page.getByTestId('message-input').fill(QUESTION);
    await page.getByTestId('send-button').click();
    const message = page.getByTestId('assistant-message').last();
    await message.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });

    await expect(message.innerText()).resolves.toBe(`Simulated reply to: ${QUESTION}`);
    const traceLink = page.getByTestId('trace-link');
    await expect(traceLink.getAttribute('href')).resolves.toMatch(
      new RegExp(`^${demo.printed.mlflow}/#/experiments/\\d+/traces\\?selectedEvaluationId=tr-`),
    );
    expect(browser.unexpectedProblems()).toEqual([]);
  });

  it('opens the printed API docs, which list the routes', async () => {
    const { page } = browser;
    const response = await page.goto(demo.printed.docs);

    expect(response?.status()).toBe(200);
    await page.locator('[data-path="/v1/chat/completions"]').first().waitFor();
    await expect(page.title()).resolves.toBe('arkgate API');
    expect(browser.unexpectedProblems()).toEqual([]);
  });

  it('opens the printed MLflow UI on the printed experiment, holding the traces of the calls above', async () => {
    const reader = new MlflowReader(demo.printed.mlflow);
    const experimentId = (await reader.getExperimentByName(demo.printed.experiment))!.experiment_id;
    // The two calls, and the playground's model list and chat.
    const traces = await reader.waitForTraces({ experimentIds: [experimentId] }, 4, 60_000);
    expect(
      traces.map((trace) => [trace.tags?.['mlflow.traceName'], trace.request_preview]),
    ).toEqual(
      expect.arrayContaining([
        ['POST /v1/chat/completions', 'Hello arkgate'],
        ['POST /v1/chat/stream', '{"input": "Stream me a story"}'],
        ['GET /v1/models', '{}'],
        ['POST /v1/chat/stream', QUESTION],
      ]),
    );
    expect(traces).toHaveLength(4);

    const { page } = browser;
    const response = await page.goto(`${demo.printed.mlflow}/#/experiments/${experimentId}/traces`);
    expect(response?.status()).toBe(200);
    // The traces list renders a row per trace, with the request preview as its input.
    await page.getByText(demo.printed.experiment).first().waitFor({ timeout: 60_000 });
    await page.getByText('Hello arkgate', { exact: true }).first().waitFor({ timeout: 60_000 });
    await expect(page.getByText(QUESTION, { exact: true }).count()).resolves.toBeGreaterThan(0);
  });

  it('stops everything it started when one of its processes dies', async () => {
    const simulator = demo.children.find((child) => child.command.includes('simulator/main.js'));
    expect(demo.children).toHaveLength(3);
    expect(simulator).toBeDefined();

    process.kill(simulator!.pid, 'SIGKILL');

    await demo.exit();
    expect(demo.output).toContain('a demo process exited; stopping the rest');
    expect(demo.children.filter(isRunning)).toEqual([]);
    const listening = await Promise.all([demo.ports.arkgate, demo.ports.mlflow].map(answers));
    expect(listening).toEqual([false, false]);
  });
});

describe('npm run demo, stopped with Ctrl-C', () => {
  it('stops MLflow, the simulator and arkgate, and exits 130', async () => {
    const demo = await DemoRun.start();
    try {
      expect(demo.children).toHaveLength(3);

      const code = await demo.signal('SIGINT');

      expect(code).toBe(130);
      expect(demo.children.filter(isRunning)).toEqual([]);
      const ports = [demo.ports.arkgate, demo.ports.mlflow, demo.ports.simulator];
      await expect(Promise.all(ports.map(answers))).resolves.toEqual([false, false, false]);
    } finally {
      await demo.close();
    }
  });
});
