import type { CompletionUsage } from 'openai/resources/completions';
import { MlflowSpanAttribute } from '../tracing/mlflow/mlflow.constants';
import { LLM_PROVIDER } from '../tracing/tracing.constants';

/** Request fields that are the span's inputs, not parameters. */
const CONTENT_FIELDS = new Set(['messages', 'input']);

/** MLflow's token usage shape from OpenAI chat usage. */
export function chatTokenUsage(usage: CompletionUsage | null | undefined) {
  if (!usage) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
    ...(cached ? { cache_read_input_tokens: cached } : {}),
  };
}

/**
 * What MLflow's OpenAI autolog records as attributes: every request parameter except the
 * messages, plus the message format, tools, model and provider.
 */
export function llmRequestAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!CONTENT_FIELDS.has(key) && value !== undefined) attributes[key] = value;
  }
  attributes[MlflowSpanAttribute.messageFormat] = 'openai';
  attributes[MlflowSpanAttribute.llmModel] = body.model;
  attributes[MlflowSpanAttribute.llmProvider] = LLM_PROVIDER;
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    attributes[MlflowSpanAttribute.chatTools] = body.tools;
  }
  return attributes;
}
