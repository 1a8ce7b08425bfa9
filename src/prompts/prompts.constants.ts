/** Injection token of the shared (Redis) prompt cache layer; null without REDIS_URL. */
export const PROMPT_CACHE_STORE = Symbol('PROMPT_CACHE_STORE');

/** BullMQ queue whose repeatable job refreshes the prompt aliases in use. */
export const PROMPT_REFRESH_QUEUE = 'arkgate-prompt-refresh';
export const PROMPT_REFRESH_JOB = 'refresh-prompt-aliases';
export const PROMPT_REFRESH_SCHEDULER = 'prompt-alias-refresh';

/** Redis keys of the shared prompt cache. */
export const PROMPT_CACHE_KEY_PREFIX = 'arkgate:prompts:';

/** Span attributes arkgate adds to the prompt span (besides `mlflow.linkedPrompts`). */
export const PromptSpanAttribute = {
  uri: 'arkgate.prompt.uri',
  version: 'arkgate.prompt.version',
  source: 'arkgate.prompt.source',
  ageMs: 'arkgate.prompt.age_ms',
} as const;

/** Error codes (the `error.code` field) of prompt failures. */
export const PromptErrorCode = {
  invalidReference: 'invalid_prompt_reference',
  notFound: 'prompt_not_found',
  missingVariable: 'prompt_variable_missing',
  unsupported: 'unsupported_prompt',
  registryUnavailable: 'prompt_registry_unavailable',
} as const;
