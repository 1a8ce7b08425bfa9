import { configNamespace } from './config-namespace';
import { redisTopologyOf } from './redis-topology';

/** The response cache for chat completions (off unless a TTL is set). */
export const cacheConfig = configNamespace('cache', (env) => {
  return {
    redis: redisTopologyOf(env),
    /** 0: a request is cached only when its `x-arkgate-cache: max-age=N` asks. */
    ttlSeconds: env.CACHE_TTL_SECONDS,
    /** The longest a request may ask for. */
    maxTtlSeconds: env.CACHE_MAX_TTL_SECONDS,
    /** Without Redis: answers kept in this process. */
    maxEntries: env.CACHE_MAX_ENTRIES,
  };
});
