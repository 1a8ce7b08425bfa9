import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './mlflow-test-env';

const INSTALL_TIMEOUT_MS = 20 * 60_000;

/** Runs scripts/mlflow-venv.sh (a no-op once the venv exists) and returns the venv path. */
export function ensureMlflowVenv(): string {
  const stdout = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'mlflow-venv.sh')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: INSTALL_TIMEOUT_MS,
  });
  const venv = stdout.trim().split('\n').pop();
  if (!venv) throw new Error('scripts/mlflow-venv.sh printed no venv path');
  return venv;
}
