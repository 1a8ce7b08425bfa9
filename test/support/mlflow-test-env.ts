import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PrivateRedisState } from './child-services';
import { MlflowServer, type MlflowServerState } from './mlflow-server';

/** What the integration global setup publishes to test workers. */
export interface MlflowTestEnv {
  trackingUri: string;
  venv: string;
  server: MlflowServerState;
  /** The redis-server the setup started for the specs: the only Redis they may use or flush. */
  redis: PrivateRedisState;
}

/** Names the JSON file holding {@link MlflowTestEnv}; set by the global setup for its workers. */
export const MLFLOW_TEST_ENV_FILE_VAR = 'ARKGATE_MLFLOW_TEST_ENV';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export function newMlflowTestEnvFile(): string {
  // Unique even for a second setup in the same process (a spec that runs the setup itself).
  return join(tmpdir(), `arkgate-mlflow-test-${process.pid}-${randomUUID()}.json`);
}

export function writeMlflowTestEnv(file: string, env: MlflowTestEnv): void {
  const partial = `${file}.tmp`;
  writeFileSync(partial, JSON.stringify(env, null, 2));
  renameSync(partial, file);
}

export function mlflowTestEnvFile(): string {
  const file = process.env[MLFLOW_TEST_ENV_FILE_VAR];
  if (!file) {
    throw new Error(
      `${MLFLOW_TEST_ENV_FILE_VAR} is not set: run integration specs through the jest ` +
        '"integration" or "browser" project, whose global setup starts MLflow and Redis',
    );
  }
  return file;
}

export function readMlflowTestEnv(): MlflowTestEnv {
  return JSON.parse(readFileSync(mlflowTestEnvFile(), 'utf8')) as MlflowTestEnv;
}

/**
 * The server the global setup started, for tests that stop and restart it ("MLflow down, then
 * back"): its new pid is written back so the global teardown stops the right process.
 */
export function sharedMlflowServer(): MlflowServer {
  const file = mlflowTestEnvFile();
  const env = readMlflowTestEnv();
  return MlflowServer.attach(env.server, (server) => writeMlflowTestEnv(file, { ...env, server }));
}
