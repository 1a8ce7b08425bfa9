import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';
import { redisTopologyOf } from './redis-topology';

/** The prompt registry cache: Redis-shared when REDIS_URL is set, in-process otherwise. */
export const promptsConfig = registerAs('prompts', () => {
  const env = validateEnv(process.env);
  return {
    redis: redisTopologyOf(env),
    workerEnabled: env.WORKER_ENABLED,
    aliasTtlMs: env.PROMPT_CACHE_TTL_SECONDS * 1000,
    maxLocalEntries: env.PROMPT_CACHE_MAX_ENTRIES,
    fetchTimeoutMs: env.PROMPT_FETCH_TIMEOUT_MS,
  };
});
