import { configNamespace, type RawEnvironment } from './config-namespace';

/** The usual proxy variables, lower case first as curl and undici read them; '' when unset. */
function proxyVariable(raw: RawEnvironment, name: string): string {
  return raw[name.toLowerCase()] ?? raw[name] ?? '';
}

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
    /**
     * The egress proxy for ModelArk, read once at boot (undici's proxy agent would read NO_PROXY
     * from the environment again on every call).
     */
    proxy: {
      http: proxyVariable(raw, 'HTTP_PROXY'),
      https: proxyVariable(raw, 'HTTPS_PROXY'),
      noProxy: proxyVariable(raw, 'NO_PROXY'),
    },
    /** The process's variables, where a routes file's `apiKeyEnv` names a target's key. */
    variables: raw,
  };
});
