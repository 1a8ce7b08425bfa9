/** One message of a chat prompt template; `content` holds `{{variables}}`. */
export interface PromptChatMessage {
  role: string;
  content: string | { type: string; text?: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

export type PromptType = 'text' | 'chat';

/** A prompt version as arkgate uses it; immutable once registered, so safe to cache forever. */
export interface PromptVersion {
  name: string;
  version: string;
  type: PromptType;
  /** The text (text prompts) or the messages (chat prompts), placeholders unrendered. */
  template: string | PromptChatMessage[];
  /** `{{variable}}` names, in order of first appearance. */
  variables: string[];
  /** `double-brace` is rendered here; `jinja2` templates ({% ... %}) are refused. */
  syntax: 'double-brace' | 'jinja2';
  /** `_mlflow_prompt_model_config`: model_name, temperature, max_tokens, ... */
  modelConfig?: Record<string, unknown>;
  /** `_mlflow_prompt_response_format`: a JSON schema, shown but not applied. */
  responseFormat?: unknown;
  commitMessage?: string;
  /** Milliseconds since the epoch. */
  createdAt?: number;
}
