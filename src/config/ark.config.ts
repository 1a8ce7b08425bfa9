import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

export const arkConfig = registerAs('ark', () => {
  const env = validateEnv(process.env);
  return {
    apiKey: env.ARK_API_KEY,
    baseUrl: env.ARK_BASE_URL,
    defaultModel: env.ARK_DEFAULT_MODEL,
    timeoutMs: env.ARK_TIMEOUT_MS,
    maxRetries: env.ARK_MAX_RETRIES,
    /** Model aliases, targets and prices; unset: every model goes to ARK_BASE_URL. */
    routesFile: env.ROUTES_FILE,
    /** A stream whose upstream sends nothing for this long is aborted. */
    streamIdleTimeoutMs: env.STREAM_IDLE_TIMEOUT_MS,
  };
});
