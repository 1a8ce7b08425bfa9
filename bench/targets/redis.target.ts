import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../support/children';
import { freePort } from '../support/http';

export interface RedisTarget {
  /** `redis://127.0.0.1:<port>`, no DB: pick one with redisDbUrl(). */
  url: string;
  /** The server's process (setpriv execs redis-server in place). */
  pid: number | undefined;
  /** Stops the server and deletes its temp dir. */
  dispose(): Promise<void>;
}

function installed(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * The bench's own redis-server on a free loopback port, without persistence, so the bench never
 * writes to (or flushes) a Redis it did not start. With setpriv (util-linux) it also dies if the
 * bench is killed before it can stop it.
 */
export async function startRedis(): Promise<RedisTarget> {
  if (!installed('redis-server', ['--version'])) {
    throw new Error('redis-server is not installed: apt-get install redis-server');
  }
  const dir = mkdtempSync(join(tmpdir(), 'arkgate-bench-redis-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir);
  const child = installed('setpriv', ['--help'])
    ? startChild('redis', 'setpriv', ['--pdeathsig', 'KILL', 'redis-server', ...args])
    : startChild('redis', 'redis-server', args);
  await child.waitForLine(/Ready to accept connections/, 15_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.child.pid,
    async dispose() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
