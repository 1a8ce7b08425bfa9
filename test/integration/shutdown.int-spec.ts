import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/child-services';
import { HARNESS_ARK_API_KEY } from '../support/arkgate.harness';
import { MlflowReader } from '../support/mlflow-reader';
import { readMlflowTestEnv, REPO_ROOT } from '../support/mlflow-test-env';
import { openSse } from '../support/sse.client';
import { eventually } from '../support/traced-arkgate';
import { ModelArkSimulator } from '../../src/simulator/simulator.server';

jest.setTimeout(120_000);

/** arkgate's API entrypoint (src/main.ts) as its own process, so it can get a real SIGTERM. */
class ArkgateProcess {
  output = '';
  readonly exit: Promise<number | null>;

  constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>): Promise<ArkgateProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, 'src', 'main.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          EXPORT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'arkgate-spool-')),
          HOST: '127.0.0.1',
          PORT: String(port),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const app = new ArkgateProcess(child, `http://127.0.0.1:${port}`);
    await eventually(async () => ((await fetch(`${app.url}/health/live`)).ok ? true : undefined));
    return app;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

describe('Graceful shutdown on SIGTERM', () => {
  const { trackingUri } = readMlflowTestEnv();
  const reader = new MlflowReader(trackingUri);
  let simulator: ModelArkSimulator;
  let app: ArkgateProcess | undefined;

  beforeAll(async () => {
    // Paced tokens: the stream is still going when SIGTERM lands.
    simulator = await ModelArkSimulator.start({ apiKey: HARNESS_ARK_API_KEY, tokenDelayMs: 100 });
  });

  afterEach(() => app?.kill());

  afterAll(() => simulator.close());

  it('lets a running stream complete, exports its trace and exits 0', async () => {
    app = await ArkgateProcess.start({
      LOG_LEVEL: 'info',
      GATEWAY_AUTH: 'off',
      ARK_API_KEY: HARNESS_ARK_API_KEY,
      ARK_BASE_URL: simulator.url,
      ARK_DEFAULT_MODEL: 'seed-1-6-250615',
      ARK_MAX_RETRIES: '0',
      TRACING_ENABLED: 'true',
      MLFLOW_TRACKING_URI: trackingUri,
      MLFLOW_EXPERIMENT_NAME: 'arkgate-shutdown',
      SHUTDOWN_TIMEOUT_MS: '60000',
    });
    const stream = await openSse(`${app.url}/v1/chat/stream`, {
      body: { input: 'Tell me a long story about a lighthouse keeper and the sea.' },
    });
    const traceId = stream.headers['x-mlflow-trace-id'] as string;
    const first = await stream.nextEvent();

    app.signal('SIGTERM');
    await eventually(async () => (app!.output.includes('SIGTERM: draining') ? true : undefined));
    const refused = await fetch(`${app.url}/health/live`).then(
      (response) => response.status,
      () => 'refused',
    );
    const rest = await stream.readAll();
    const code = await app.exit;

    expect(first?.event).toBeDefined();
    expect(rest.filter((message) => message.event === 'delta').length).toBeGreaterThan(0);
    expect(rest.at(-1)?.event).toBe('done');
    expect(refused).toBe('refused');
    expect(code).toBe(0);
    const trace = await eventually(() => reader.getTraceInfo(traceId), 30_000);
    expect(trace.state).toBe('OK');
  });
});
