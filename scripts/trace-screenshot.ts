// Takes the README's screenshot of an arkgate trace in the MLflow UI: starts MLflow (the test
// venv), the ModelArk simulator and arkgate with tracing on, sends one chat, waits for its trace,
// opens the trace in headless chromium and saves docs/images/mlflow-trace.png.
//   node -r ts-node/register/transpile-only scripts/trace-screenshot.ts [output.png]
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startArkgate, type ArkgateHarness } from '../test/support/arkgate.harness';
import { launchChromium } from '../test/support/browser';
import { MlflowReader } from '../test/support/mlflow-reader';
import { MlflowServer } from '../test/support/mlflow-server';
import { REPO_ROOT } from '../test/support/mlflow-test-env';
import { ensureMlflowVenv } from '../test/support/mlflow-venv';

const OUTPUT = process.argv[2] ?? join(REPO_ROOT, 'docs', 'images', 'mlflow-trace.png');
const EXPERIMENT = 'arkgate';
const MODEL = 'seed-1-6-250615';
const VIEWPORT = { width: 1400, height: 900 };

/** The MLflow 3.x UI route of one trace: the experiment's Traces tab with the trace open. */
export function traceUrl(trackingUri: string, experimentId: string, traceId: string): string {
  return `${trackingUri}/#/experiments/${experimentId}/traces?selectedEvaluationId=${traceId}`;
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`${what} did not happen within 30 s`);
}

async function tracedChat(arkgate: ArkgateHarness): Promise<string> {
  const response = await fetch(`${arkgate.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-session-id': 'conversation-7',
      'x-user-id': 'user-42',
    },
    body: JSON.stringify({
      model: MODEL,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'You are a concise assistant.' },
        { role: 'user', content: 'What is MLflow tracing good for?' },
      ],
    }),
  });
  if (!response.ok) throw new Error(`chat answered ${response.status}: ${await response.text()}`);
  const traceId = response.headers.get('x-mlflow-trace-id');
  if (!traceId) throw new Error('chat answered without x-mlflow-trace-id');
  return traceId;
}

async function main(): Promise<void> {
  const venv = ensureMlflowVenv();
  const mlflow = await MlflowServer.create({ venv });
  let arkgate: ArkgateHarness | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    await mlflow.start();
    arkgate = await startArkgate({
      env: {
        TRACING_ENABLED: 'true',
        MLFLOW_TRACKING_URI: mlflow.trackingUri,
        MLFLOW_EXPERIMENT_NAME: EXPERIMENT,
        ARK_DEFAULT_MODEL: MODEL,
      },
    });
    const traceId = await tracedChat(arkgate);
    const reader = new MlflowReader(mlflow.trackingUri);
    await until('the trace export', async () => {
      const spans = await reader.getTraceSpans(traceId);
      return spans.some((span) => span.name === 'Completions') ? spans : undefined;
    });
    const experiment = await reader.getExperimentByName(EXPERIMENT);
    if (!experiment) throw new Error(`experiment ${EXPERIMENT} was not created`);

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: VIEWPORT });
    const url = traceUrl(mlflow.trackingUri, experiment.experiment_id, traceId);
    // A first visit opens the MLflow Assistant side panel: close it on the traces list, where
    // no drawer covers it, then open the trace.
    await page.goto(url.replace(/\?.*$/, ''));
    const closeAssistant = page.getByRole('button', { name: 'Close', exact: true });
    await closeAssistant.waitFor({ timeout: 60_000 }).catch(() => undefined);
    if (await closeAssistant.isVisible()) await closeAssistant.click();
    await page.goto(url);
    // The span tree lists the root (`POST /v1/chat/completions`) and its `Completions` child.
    const span = page.getByText('Completions', { exact: true }).first();
    await span.waitFor({ timeout: 60_000 });
    await span.click();
    await page.getByText('What is MLflow tracing good for?').first().waitFor();
    // The UI keeps polling, so the network never goes idle: give the panes a moment to settle.
    await sleep(2_000);
    mkdirSync(dirname(OUTPUT), { recursive: true });
    rmSync(OUTPUT, { force: true });
    await page.screenshot({ path: OUTPUT });
    console.log(`${OUTPUT}\n${url}`);
  } finally {
    await browser?.close();
    await arkgate?.close();
    await mlflow.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
