import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateRedis } from './child-services';
import { MlflowServer } from './mlflow-server';
import {
  MLFLOW_TEST_ENV_FILE_VAR,
  newMlflowTestEnvFile,
  REPO_ROOT,
  writeMlflowTestEnv,
} from './mlflow-test-env';
import { ensureMlflowVenv } from './mlflow-venv';

/** Kept after the run (the temp work dir is removed) so a failed run can be read afterwards. */
export const MLFLOW_SERVER_LOG = join(REPO_ROOT, '.cache', 'mlflow-server.log');

/**
 * Jest global setup of the integration and browser projects: a redis-server of the run's own on a
 * free loopback port (the specs never use a Redis they did not start), the MLflow venv and server.
 */
export default async function globalSetup(): Promise<void> {
  const redisDir = mkdtempSync(join(tmpdir(), 'arkgate-test-redis-'));
  const redis = await PrivateRedis.start({ dir: redisDir });
  try {
    const venv = ensureMlflowVenv();
    mkdirSync(join(REPO_ROOT, '.cache'), { recursive: true });
    rmSync(MLFLOW_SERVER_LOG, { force: true });
    const file = newMlflowTestEnvFile();
    const server = await MlflowServer.create({
      venv,
      logFile: MLFLOW_SERVER_LOG,
      onStateChange: (state) =>
        writeMlflowTestEnv(file, {
          trackingUri: state.trackingUri,
          venv,
          server: state,
          redis: redis.state,
        }),
    });
    await server.start();
    // Workers are forked after this returns and inherit these.
    process.env[MLFLOW_TEST_ENV_FILE_VAR] = file;
    process.env.MLFLOW_TRACKING_URI = server.trackingUri;
  } catch (error) {
    await redis.stop();
    rmSync(redisDir, { recursive: true, force: true });
    throw error;
  }
}
