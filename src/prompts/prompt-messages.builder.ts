import type { RenderedPrompt } from './prompt-template.renderer';

/**
 * The conversation sent upstream: a text prompt becomes the system message (the user message
 * when the request has no messages of its own); a chat prompt's messages lead the conversation.
 */
export function buildPromptMessages(rendered: RenderedPrompt, conversation: object[]): object[] {
  if (typeof rendered !== 'string') return [...rendered, ...conversation];
  if (conversation.length === 0) return [{ role: 'user', content: rendered }];
  return [{ role: 'system', content: rendered }, ...conversation];
}

/** MLflow's model config keys that are named differently in a chat completion request. */
const RENAMED: Record<string, string> = { model_name: 'model', stop_sequences: 'stop' };
/** Keys with no chat completion counterpart at ModelArk. */
const DROPPED = new Set(['provider', 'top_k']);

/**
 * A prompt's model config as chat completion defaults (`model_name` → `model`, `stop_sequences`
 * → `stop`; `provider` and `top_k` dropped; extra parameters kept as they are).
 */
export function modelConfigDefaults(config: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (DROPPED.has(key) || value === null || value === undefined) continue;
    defaults[RENAMED[key] ?? key] = value;
  }
  return defaults;
}
