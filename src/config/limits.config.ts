import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

export const limitsConfig = registerAs('limits', () => {
  const env = validateEnv(process.env);
  return {
    maxMessages: env.MAX_MESSAGES,
    maxMessageChars: env.MAX_MESSAGE_CHARS,
    /** Undefined: no ceiling on max_tokens and its kin. */
    maxTokensCeiling: env.MAX_TOKENS_CEILING,
  };
});
