import type { CompletionUsage } from 'openai/resources/completions';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { ResponseUsage } from 'openai/resources/responses/responses';
import { MlflowSpanAttribute } from '../mlflow/mlflow.constants';
import { llmCost, type TokenUsage } from '../routing/llm-cost';
import type { RoutePrice } from '../routing/routes-file.schema';
import type { ActiveSpan } from '../tracing/active-span';
import type { RequestLedger } from '../metrics/request-ledger';
import { LLM_PROVIDER } from '../tracing/tracing.constants';

/** BytePlus's request id (`x-request-id`), which BytePlus support asks for. */
export const UPSTREAM_REQUEST_ID = 'byteplus.request_id';

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

/** MLflow's token usage shape from Responses API usage. */
export function responsesTokenUsage(usage: ResponseUsage | null | undefined) {
  if (!usage) return undefined;
  const cached = usage.input_tokens_details?.cached_tokens;
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
    ...(cached ? { cache_read_input_tokens: cached } : {}),
  };
}

/** MLflow's token usage shape from embeddings usage: all of it is input. */
export function embeddingsTokenUsage(usage: CreateEmbeddingResponse.Usage | null | undefined) {
  if (!usage) return undefined;
  return { input_tokens: usage.prompt_tokens, output_tokens: 0, total_tokens: usage.total_tokens };
}

/** Every request parameter except the content (`messages`, `input`), as MLflow's autolog keeps them. */
function requestParameters(body: Record<string, unknown>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!CONTENT_FIELDS.has(key) && value !== undefined) attributes[key] = value;
  }
  attributes[MlflowSpanAttribute.llmModel] = body.model;
  attributes[MlflowSpanAttribute.llmProvider] = LLM_PROVIDER;
  return attributes;
}

/**
 * What MLflow's OpenAI autolog records as attributes: every request parameter except the
 * messages, plus the message format, tools, model and provider.
 */
export function llmRequestAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const attributes = requestParameters(body);
  attributes[MlflowSpanAttribute.messageFormat] = 'openai';
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    attributes[MlflowSpanAttribute.chatTools] = body.tools;
  }
  return attributes;
}

/**
 * A Responses API tool in MLflow's chat tool shape: function tools keep their definition,
 * built-in tools (web search, file search...) are named by their type.
 */
function chatTool(tool: unknown): Record<string, unknown> {
  const spec = (typeof tool === 'object' && tool !== null ? tool : {}) as Record<string, unknown>;
  if (spec.type === 'function' && typeof spec.function === 'object') return spec;
  if (spec.type !== 'function') return { type: 'function', function: { name: spec.type } };
  const { type: _type, ...definition } = spec;
  return { type: 'function', function: definition };
}

/** The Responses span's attributes: as for chat, with tools in MLflow's chat tool shape. */
export function responsesRequestAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const attributes = requestParameters(body);
  attributes[MlflowSpanAttribute.messageFormat] = 'openai';
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    attributes[MlflowSpanAttribute.chatTools] = body.tools.map(chatTool);
  }
  return attributes;
}

/** The Embeddings span's attributes: parameters, model and provider (there are no messages). */
export function embeddingsRequestAttributes(
  body: Record<string, unknown>,
): Record<string, unknown> {
  return requestParameters(body);
}

/**
 * An embeddings answer as the spans record it: everything but the vectors, each replaced by
 * its dimension count, so a batch of large vectors does not bloat the trace.
 */
export function embeddingsSpanOutputs(response: CreateEmbeddingResponse): Record<string, unknown> {
  return {
    ...response,
    data: response.data.map(({ embedding, ...item }) => ({
      ...item,
      dimensions: typeof embedding === 'string' ? base64Dimensions(embedding) : embedding.length,
    })),
  };
}

/** float32 values in a base64 string. */
function base64Dimensions(encoded: string): number {
  return Math.floor(Buffer.byteLength(encoded, 'base64') / 4);
}

/** How a call's usage is priced, and where its cost is added up for the request (budgets). */
export interface UsagePricing {
  price?: RoutePrice;
  ledger?: RequestLedger;
}

/**
 * Token usage on an LLM span, and its cost (`mlflow.llm.cost`) when the model has a price; the
 * cost is also added to the request's ledger, which budgets are charged from.
 */
export function recordTokenUsage(
  span: ActiveSpan | null,
  usage: TokenUsage | undefined,
  pricing: UsagePricing = {},
): void {
  const cost = llmCost(pricing.price, usage);
  if (cost) pricing.ledger?.addCost(cost.total_cost);
  if (!span) return;
  span.setAttribute(MlflowSpanAttribute.chatTokenUsage, usage);
  span.setAttribute(MlflowSpanAttribute.llmCost, cost);
}
