import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

/** The browser playground at /playground. */
export const playgroundConfig = registerAs('playground', () => {
  const env = validateEnv(process.env);
  return {
    enabled: env.PLAYGROUND_ENABLED,
    keyHint: env.PLAYGROUND_KEY_HINT,
  };
});
