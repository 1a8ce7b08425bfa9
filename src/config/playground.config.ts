import { configNamespace } from './config-namespace';

/** The browser playground at /playground. */
export const playgroundConfig = configNamespace('playground', (env) => {
  return {
    enabled: env.PLAYGROUND_ENABLED,
    keyHint: env.PLAYGROUND_KEY_HINT,
  };
});
