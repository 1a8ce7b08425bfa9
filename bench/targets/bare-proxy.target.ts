import { join } from 'node:path';
import { REPO_ROOT } from '../config';
import { startChild } from '../support/children';
import type { ChatTarget } from './target.model';

/** How the bare proxy is started in front of `upstreamBaseUrl` (also under callgrind). */
export function bareProxyCommand(upstreamBaseUrl: string) {
  return {
    command: process.execPath,
    args: [
      '-r',
      'ts-node/register/transpile-only',
      join(REPO_ROOT, 'bench/bare-proxy.ts'),
      upstreamBaseUrl,
    ],
    options: { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  };
}

/** The line the bare proxy prints once it listens, with its port. */
export const BARE_PROXY_READY = /BARE_PROXY_READY (\d+)/;

/** bench/bare-proxy.ts in its own process, in front of `upstreamBaseUrl`. */
export async function startBareProxy(label: string, upstreamBaseUrl: string): Promise<ChatTarget> {
  const { command, args, options } = bareProxyCommand(upstreamBaseUrl);
  const child = startChild(`bare-proxy-${label}`, command, args, options);
  const [, port] = await child.waitForLine(BARE_PROXY_READY);
  return {
    name: 'bare',
    chatUrl: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: {},
    pid: child.child.pid,
  };
}
