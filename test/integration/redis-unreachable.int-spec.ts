import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import { ArkgateProcess } from '../support/arkgate-process';
import { HARNESS_ARK_API_KEY } from '../support/arkgate.harness';
import { readMlflowTestEnv } from '../support/mlflow-test-env';

jest.setTimeout(180_000);

const MODEL = 'seed-1-6-250615';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ports 1, 2, 3: nothing on the machine serves them, and no test server can take them. */
function deadNodes(count: number): string {
  return Array.from({ length: count }, (_, i) => `127.0.0.1:${i + 1}`).join(',');
}

// A Sentinel or Cluster setting that names no reachable node: arkgate starts and serves, traces
// wait in the spool on disk, readiness says why, and the log says it once, not per reconnect.
describe.each([
  [
    'REDIS_SENTINELS',
    /^Redis is not connected \(sentinel master "mymaster" via 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\): .+/,
  ],
  [
    'REDIS_CLUSTER_NODES',
    /^Redis is not connected \(cluster via 127\.0\.0\.1:1,127\.0\.0\.1:2,127\.0\.0\.1:3\): .+/,
  ],
])('%s naming no reachable node', (variable, readiness) => {
  let simulator: ModelArkSimulator;
  let gateway: ArkgateProcess;
  let spoolDir: string;

  beforeAll(async () => {
    simulator = await ModelArkSimulator.start({ apiKey: HARNESS_ARK_API_KEY });
    spoolDir = mkdtempSync(join(tmpdir(), 'arkgate-unreachable-spool-'));
    gateway = await ArkgateProcess.start({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      GATEWAY_AUTH: 'off',
      ARK_API_KEY: HARNESS_ARK_API_KEY,
      ARK_BASE_URL: simulator.url,
      ARK_DEFAULT_MODEL: MODEL,
      MLFLOW_TRACKING_URI: readMlflowTestEnv().trackingUri,
      EXPORT_SPOOL_DIR: spoolDir,
      [variable]: deadNodes(variable === 'REDIS_SENTINELS' ? 2 : 3),
    });
  });

  afterAll(async () => {
    await gateway?.kill('SIGKILL');
    await simulator?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('serves, spools the traces, says why it is not ready, and logs the outage once', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `hi ${i}` }] }),
      });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    // Several reconnect rounds (200 ms growing to 2 s apart) go by.
    await sleep(8_000);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^arkgate_traces_buffered 5$/m);
    expect(readdirSync(spoolDir).some((name) => name.endsWith('.spool'))).toBe(true);

    const ready = await fetch(`${gateway.url}/health/ready`);
    const body = (await ready.json()) as { error?: { redis?: { message?: string } } };
    expect(ready.status).toBe(503);
    expect(body.error?.redis?.message).toMatch(readiness);

    const lines = gateway.log.split('\n');
    const outages = lines.filter(
      (line) => line.includes('"context":"Redis"') && line.includes('unreachable'),
    );
    expect(outages).toHaveLength(1);
    // Nothing else repeats per reconnect either (workers, queues, stores).
    const warnings = lines
      .filter((line) => /"level":(40|50)/.test(line) && !line.includes('Health Check has failed'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(warnings).toEqual([...new Set(warnings)]);
    expect(warnings.filter((msg) => msg.startsWith('Worker:'))).toEqual([]);
  });
});
