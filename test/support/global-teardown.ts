import { rmSync } from 'node:fs';
import { MlflowServer } from './mlflow-server';
import { MLFLOW_TEST_ENV_FILE_VAR, readMlflowTestEnv } from './mlflow-test-env';

/** Jest global teardown of the integration project: stops MLflow and removes its temp data. */
export default async function globalTeardown(): Promise<void> {
  const file = process.env[MLFLOW_TEST_ENV_FILE_VAR];
  if (!file) return;
  const env = readMlflowTestEnv();
  await MlflowServer.attach(env.server).dispose();
  rmSync(file, { force: true });
}
