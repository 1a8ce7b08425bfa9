import { configNamespace } from './config-namespace';

export const appConfig = configNamespace('app', (env) => {
  return {
    environment: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    maxBodyBytes: env.MAX_BODY_BYTES,
    sseKeepAliveMs: env.SSE_KEEPALIVE_MS,
    docsEnabled: env.DOCS_ENABLED,
  };
});
