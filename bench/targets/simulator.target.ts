import { join } from 'node:path';
import { REPO_ROOT } from '../config';
import { startChild, type StartedChild } from '../support/children';
import type { ChatTarget } from './target.model';

export interface SimulatorTarget {
  /** Base URL an OpenAI client (and arkgate's ARK_BASE_URL) uses: `http://127.0.0.1:<port>/api/v3`. */
  baseUrl: string;
  direct: ChatTarget;
  process: StartedChild;
}

/** Starts the ModelArk simulator in its own process with a fixed first-byte latency. */
export async function startSimulator(
  label: string,
  latencyMs: number,
  tokenDelayMs = 0,
): Promise<SimulatorTarget> {
  const options = JSON.stringify({ latencyMs, tokenDelayMs, logRequests: false });
  const child = startChild(
    `simulator-${label}`,
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(REPO_ROOT, 'bench/targets/simulator.child.ts'),
      options,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  );
  const [, port] = await child.waitForLine(/SIMULATOR_READY (\d+)/);
  const baseUrl = `http://127.0.0.1:${port}/api/v3`;
  return {
    baseUrl,
    process: child,
    direct: {
      name: 'direct',
      chatUrl: `${baseUrl}/chat/completions`,
      headers: {},
      pid: child.child.pid,
    },
  };
}
