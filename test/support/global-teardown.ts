import { rmSync } from 'node:fs';
import { PrivateRedis } from './child-services';
import { MlflowServer } from './mlflow-server';
import { MLFLOW_TEST_ENV_FILE_VAR, readMlflowTestEnv } from './mlflow-test-env';

/** Jest global teardown of the integration and browser projects: stops MLflow and Redis, removes their data. */
export default async function globalTeardown(): Promise<void> {
  const file = process.env[MLFLOW_TEST_ENV_FILE_VAR];
  if (!file) return;
  const env = readMlflowTestEnv();
  try {
    await MlflowServer.attach(env.server).dispose();
  } finally {
    await PrivateRedis.attach(env.redis).stop();
    rmSync(env.redis.dir, { recursive: true, force: true });
    rmSync(file, { force: true });
  }
}
