import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import type { EmbeddingContentPart } from './embeddings-call.model';

/** ModelArk's multimodal embedding models: `skylark-embedding-vision-…`, `seed-…-embedding-vision-…`. */
const MULTIMODAL_MODEL = /embedding-vision/i;

/** Each multimodal item is one upstream call: bound how many one request can fan out to. */
export const MAX_MULTIMODAL_ITEMS = 64;

export type EmbeddingsRoute =
  { endpoint: 'text' } | { endpoint: 'multimodal'; items: EmbeddingContentPart[][] };

export function isContentPart(value: unknown): value is EmbeddingContentPart {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/** A non-empty list of content parts: one multimodal item. */
export function isContentParts(value: unknown): value is EmbeddingContentPart[] {
  return Array.isArray(value) && value.length > 0 && value.every(isContentPart);
}

const isTokens = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((token) => typeof token === 'number');

function invalid(message: string, param: string): GatewayError {
  return new GatewayError(message, {
    status: 400,
    code: GatewayErrorCode.InvalidRequest,
    type: 'invalid_request_error',
    param,
  });
}

/** The items of `input`, each with the `param` that names it in an error. */
function inputItems(input: unknown): { item: unknown; param: string }[] {
  if (!Array.isArray(input) || isTokens(input)) return [{ item: input, param: 'input' }];
  return input.map((item, index) => ({ item, param: `input.${index}` }));
}

function toParts(item: unknown, param: string): EmbeddingContentPart[] {
  if (typeof item === 'string') return [{ type: 'text', text: item }];
  if (isContentPart(item)) return [item];
  if (isContentParts(item)) return item;
  throw invalid(
    `${param} must be text or content parts: token arrays only go to text embedding models`,
    param,
  );
}

/**
 * Where an OpenAI embeddings request goes at ModelArk. Text, texts and token arrays go to
 * `/embeddings` as they are. Content parts, or any input for a multimodal model (id containing
 * `embedding-vision`), go to `/embeddings/multimodal`, which embeds one item per call. As in
 * OpenAI's API each element of `input` is one item, so one embedding: a string (sent as a text
 * part), a content part, or an array of parts embedded together.
 */
export function planEmbeddingsRoute(model: string, input: unknown): EmbeddingsRoute {
  const items = inputItems(input);
  const hasParts = items.some(({ item }) => isContentPart(item) || isContentParts(item));
  if (!hasParts && !MULTIMODAL_MODEL.test(model)) return { endpoint: 'text' };
  if (items.length > MAX_MULTIMODAL_ITEMS) {
    throw invalid(
      `input must have at most ${MAX_MULTIMODAL_ITEMS} items for a multimodal embedding model`,
      'input',
    );
  }
  return { endpoint: 'multimodal', items: items.map(({ item, param }) => toParts(item, param)) };
}
