import { configNamespace } from './config-namespace';
import { redisTopologyOf } from './redis-topology';

/** The prompt registry cache: Redis-shared when REDIS_URL is set, in-process otherwise. */
export const promptsConfig = configNamespace('prompts', (env) => {
  return {
    redis: redisTopologyOf(env),
    workerEnabled: env.WORKER_ENABLED,
    aliasTtlMs: env.PROMPT_CACHE_TTL_SECONDS * 1000,
    maxLocalEntries: env.PROMPT_CACHE_MAX_ENTRIES,
    fetchTimeoutMs: env.PROMPT_FETCH_TIMEOUT_MS,
  };
});
