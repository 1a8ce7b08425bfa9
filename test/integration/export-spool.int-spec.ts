import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import { ArkgateProcess } from '../support/arkgate-process';
import { HARNESS_ARK_API_KEY } from '../support/arkgate.harness';
import { PrivateRedis } from '../support/child-services';
import { sessionFilter } from '../support/mlflow-export.harness';
import { MlflowReader } from '../support/mlflow-reader';
import { readMlflowTestEnv } from '../support/mlflow-test-env';

jest.setTimeout(240_000);

async function chat(url: string, session: string, count: number): Promise<number[]> {
  const client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { response } = await client.chat.completions
      .create(
        { model: 'seed-1-6-250615', messages: [{ role: 'user', content: `${session} ${i}` }] },
        { headers: { 'x-session-id': session } },
      )
      .withResponse();
    statuses.push(response.status);
  }
  return statuses;
}

// Redis is down while the gateway serves, then the gateway goes (SIGTERM, or SIGKILL with no
// chance to save anything), comes back with Redis still down, and only then Redis returns empty:
// the spool on disk is all there is, and every trace must reach MLflow exactly once.
describe.each<NodeJS.Signals>(['SIGTERM', 'SIGKILL'])(
  'Redis down, gateway %s and restart, then Redis back',
  (signal) => {
    const { trackingUri } = readMlflowTestEnv();
    const reader = new MlflowReader(trackingUri);
    const experimentName = `arkgate-spool-${signal.toLowerCase()}-${Date.now()}`;
    let redis: PrivateRedis;
    let simulator: ModelArkSimulator;
    let spoolDir: string;
    let env: Record<string, string>;
    const gateways: ArkgateProcess[] = [];

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      simulator = await ModelArkSimulator.start({ apiKey: HARNESS_ARK_API_KEY });
      spoolDir = mkdtempSync(join(tmpdir(), 'arkgate-spool-int-'));
      env = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        TRACING_ENABLED: 'true',
        GATEWAY_AUTH: 'off',
        ARK_API_KEY: HARNESS_ARK_API_KEY,
        ARK_BASE_URL: simulator.url,
        ARK_DEFAULT_MODEL: 'seed-1-6-250615',
        MLFLOW_TRACKING_URI: trackingUri,
        MLFLOW_EXPERIMENT_NAME: experimentName,
        REDIS_URL: redis.url,
        EXPORT_SPOOL_DIR: spoolDir,
        EXPORT_RETRY_BASE_MS: '200',
        EXPORT_RETRY_MAX_DELAY_MS: '1000',
        SHUTDOWN_TIMEOUT_MS: '10000',
      };
    });

    afterAll(async () => {
      for (const gateway of gateways) await gateway.kill('SIGKILL');
      await simulator?.close();
      await redis?.stop();
      rmSync(spoolDir, { recursive: true, force: true });
    });

    it('loses no trace and duplicates none', async () => {
      const first = await ArkgateProcess.start(env);
      gateways.push(first);
      expect(await chat(first.url, 'warm-up', 1)).toEqual([200]);
      const experimentIds = [await experimentId(reader, experimentName)];
      await reader.waitForTraces({ experimentIds, filter: sessionFilter('warm-up') }, 1, 60_000);

      await redis.stop();
      const statuses = await chat(first.url, 'redis-down', 30);
      expect(statuses.every((status) => status === 200)).toBe(true);
      const exitCode = await first.kill(signal);
      if (signal === 'SIGTERM') {
        // Shut down cleanly within its grace period although Redis never answered.
        expect(exitCode).toBe(0);
        expect(first.log).toMatch(/30 trace\(s\) stay spooled/);
      }

      const second = await ArkgateProcess.start(env);
      gateways.push(second);
      expect(second.log).toMatch(/30 trace\(s\) left in .* by an earlier run/);
      await redis.start();

      const filter = sessionFilter('redis-down');
      await reader.waitForTraces({ experimentIds, filter }, 30, 120_000);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const traces = await reader.searchTraces({ experimentIds, filter, maxResults: 500 });
      expect(traces).toHaveLength(30);
      expect(new Set(traces.map((trace) => trace.trace_id)).size).toBe(30);
      expect(traces.every((trace) => trace.state === 'OK')).toBe(true);
    });
  },
);

async function experimentId(reader: MlflowReader, name: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const experiment = await reader.getExperimentByName(name).catch(() => undefined);
    if (experiment) return experiment.experiment_id;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`experiment ${name} was never created`);
}
