import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertRedisAnswers } from './redis-check';
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

/** Jest global setup of the integration project: Redis check, MLflow venv and server. */
export default async function globalSetup(): Promise<void> {
  await assertRedisAnswers(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  const venv = ensureMlflowVenv();
  mkdirSync(join(REPO_ROOT, '.cache'), { recursive: true });
  rmSync(MLFLOW_SERVER_LOG, { force: true });
  const file = newMlflowTestEnvFile();
  const server = await MlflowServer.create({
    venv,
    logFile: MLFLOW_SERVER_LOG,
    onStateChange: (state) =>
      writeMlflowTestEnv(file, { trackingUri: state.trackingUri, venv, server: state }),
  });
  await server.start();
  // Workers are forked after this returns and inherit these.
  process.env[MLFLOW_TEST_ENV_FILE_VAR] = file;
  process.env.MLFLOW_TRACKING_URI = server.trackingUri;
}
