import { spawn } from 'node:child_process';
import { REPO_ROOT } from './mlflow-test-env';

/** How a command ended, with stdout and stderr interleaved as they arrived. */
export interface CommandRun {
  code: number | null;
  output: string;
}

/** Runs `command` from the repo root with `env` on top of this process's environment. */
export function runCommand(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
