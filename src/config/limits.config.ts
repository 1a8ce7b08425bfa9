import { configNamespace } from './config-namespace';

export const limitsConfig = configNamespace('limits', (env) => {
  return {
    maxMessages: env.MAX_MESSAGES,
    maxMessageChars: env.MAX_MESSAGE_CHARS,
    /** Undefined: no ceiling on max_tokens and its kin. */
    maxTokensCeiling: env.MAX_TOKENS_CEILING,
  };
});
