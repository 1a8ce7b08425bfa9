import { readMlflowTestEnv } from './mlflow-test-env';

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/** DB `db` of the redis-server the global setup started for this run (never a Redis of someone else). */
export function testRedisUrl(db: number): string {
  return `redis://127.0.0.1:${readMlflowTestEnv().redis.port}/${db}`;
}

/** Throws unless `url` points at the run's own redis-server, so a spec can never flush another. */
export function assertTestRedisUrl(url: string): void {
  const { port } = readMlflowTestEnv().redis;
  const target = new URL(url);
  if (target.protocol !== 'redis:' || !LOOPBACK.has(target.hostname) || target.port !== `${port}`) {
    throw new Error(
      `refusing to touch ${url}: specs may only write to the redis-server their global setup ` +
        `started (redis://127.0.0.1:${port}); use testRedisUrl(db)`,
    );
  }
}
