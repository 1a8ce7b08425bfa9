import { join } from 'node:path';
import { REPO_ROOT } from '../config';
import { startChild } from '../support/children';
import { freePort, waitForHttp } from '../support/http';
import type { ChatTarget } from './target.model';

const ENTRY = join(REPO_ROOT, 'node_modules/@portkey-ai/gateway/build/start-server.js');

export interface PortkeyGateway {
  /** A chat target routed to `upstreamBaseUrl` (OpenAI provider, custom host = the `/api/v3` base). */
  routeTo(upstreamBaseUrl: string): ChatTarget;
}

/**
 * The Portkey AI gateway (build/start-server.js, its package `bin`), headless, on a free port.
 * Its postinstall `patch-package` has nothing to apply: the published package ships no patches/.
 */
export async function startPortkey(): Promise<PortkeyGateway> {
  const port = await freePort();
  const child = startChild('portkey', process.execPath, [ENTRY, `--port=${port}`, '--headless'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  await waitForHttp(
    `http://127.0.0.1:${port}/`,
    'portkey',
    60_000,
    () => child.child.exitCode === null,
  );
  return {
    routeTo: (upstreamBaseUrl) => ({
      name: 'portkey',
      chatUrl: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: {
        'x-portkey-provider': 'openai',
        // Portkey's openai provider appends /chat/completions to the custom host.
        'x-portkey-custom-host': upstreamBaseUrl,
        authorization: 'Bearer sk-bench',
      },
      pid: child.child.pid,
    }),
  };
}
