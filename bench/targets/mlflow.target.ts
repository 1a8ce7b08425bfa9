import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config';
import { startChild } from '../support/children';
import { freePort, waitForHttp } from '../support/http';

export interface MlflowTarget {
  trackingUri: string;
  /** Stops the server (its whole process group) and deletes its temp dir. */
  dispose(): Promise<void>;
}

/** The venv from scripts/mlflow-venv.sh (created on first use, a few minutes). */
function mlflowVenv(): string {
  const stdout = execFileSync('bash', [join(REPO_ROOT, 'scripts/mlflow-venv.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const venv = stdout.trim().split('\n').pop();
  if (!venv) throw new Error('scripts/mlflow-venv.sh printed no venv path');
  return venv;
}

/** `mlflow server` with a SQLite store in a temp dir, on a free loopback port, quiet like the tests'. */
export async function startMlflow(): Promise<MlflowTarget> {
  const venv = mlflowVenv();
  const workDir = mkdtempSync(join(tmpdir(), 'arkgate-bench-mlflow-'));
  const artifacts = join(workDir, 'artifacts');
  mkdirSync(artifacts);
  // Also on Ctrl-C, when dispose() is never reached (the child itself is killed by children.ts).
  process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
  const port = await freePort();
  const args = ['server', '--backend-store-uri', `sqlite:///${join(workDir, 'mlflow.db')}`];
  args.push('--artifacts-destination', artifacts, '--host', '127.0.0.1', '--port', String(port));
  args.push('--workers', '1');
  const child = startChild('mlflow', join(venv, 'bin', 'mlflow'), args, {
    cwd: workDir,
    env: {
      ...process.env,
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
      MLFLOW_DISABLE_TELEMETRY: 'true',
      MLFLOW_MODEL_CATALOG_URI: '',
      DO_NOT_TRACK: 'true',
      PYTHONUNBUFFERED: '1',
    },
  });
  const trackingUri = `http://127.0.0.1:${port}`;
  await waitForHttp(
    `${trackingUri}/health`,
    'mlflow',
    180_000,
    () => child.child.exitCode === null,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${child.output()}`);
  });
  return {
    trackingUri,
    async dispose() {
      await child.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
