import type { RoutePrice } from './routes-file.schema';

/** Token usage as MLflow records it (`mlflow.chat.tokenUsage`). */
export interface TokenUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
}

/** `mlflow.llm.cost`: USD, the keys MLflow reads to show cost per span and per trace. */
export interface LlmCost {
  input_cost: number;
  output_cost: number;
  total_cost: number;
}

const PER_TOKEN = 1 / 1_000_000;
/** Rounding to a millionth of a cent keeps binary float noise out of the UI. */
const round = (usd: number) => Math.round(usd * 1e8) / 1e8;

/**
 * What a call cost at the configured price (USD per 1M tokens): cached input tokens, which are
 * part of the input tokens, at `cachedInput` when set. Undefined without a price or usage.
 */
export function llmCost(
  price: RoutePrice | undefined,
  usage: TokenUsage | undefined,
): LlmCost | undefined {
  if (!price || !usage || (usage.input_tokens === undefined && usage.output_tokens === undefined)) {
    return undefined;
  }
  const input = usage.input_tokens ?? 0;
  const cached = Math.min(usage.cache_read_input_tokens ?? 0, input);
  const inputCost =
    ((input - cached) * price.input + cached * (price.cachedInput ?? price.input)) * PER_TOKEN;
  const outputCost = (usage.output_tokens ?? 0) * price.output * PER_TOKEN;
  return {
    input_cost: round(inputCost),
    output_cost: round(outputCost),
    total_cost: round(inputCost + outputCost),
  };
}
