import { join } from 'node:path';
import { REPO_ROOT } from '../config';
import { startChild } from '../support/children';
import type { ChatTarget } from './target.model';

/** bench/bare-proxy.ts in its own process, in front of `upstreamBaseUrl`. */
export async function startBareProxy(label: string, upstreamBaseUrl: string): Promise<ChatTarget> {
  const child = startChild(
    `bare-proxy-${label}`,
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(REPO_ROOT, 'bench/bare-proxy.ts'),
      upstreamBaseUrl,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  );
  const [, port] = await child.waitForLine(/BARE_PROXY_READY (\d+)/);
  return {
    name: 'bare',
    chatUrl: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: {},
    pid: child.child.pid,
  };
}
