import { configNamespace } from './config-namespace';

export const arkConfig = configNamespace('ark', (env, raw) => {
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
    /** The process's variables, where a routes file's `apiKeyEnv` names a target's key. */
    variables: raw,
  };
});
