import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './mlflow-test-env';

/** The oldest MLflow the README says arkgate supports; its export path differs from 3.14+. */
export const OLDEST_MLFLOW = '3.8.1';

/**
 * The venv of {@link OLDEST_MLFLOW}: `MLFLOW_OLDEST_VENV` when scripts/test.sh prepared it, else
 * made here by scripts/mlflow-venv.sh (a couple of minutes, once).
 */
export function oldestMlflowVenv(): string {
  if (process.env.MLFLOW_OLDEST_VENV) return process.env.MLFLOW_OLDEST_VENV;
  const stdout = execFileSync(
    'bash',
    [join(REPO_ROOT, 'scripts', 'mlflow-venv.sh'), OLDEST_MLFLOW],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 20 * 60_000,
    },
  );
  return stdout.trim().split('\n').pop()!;
}
