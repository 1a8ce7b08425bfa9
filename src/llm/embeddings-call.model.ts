/** One multimodal content part: `{type: 'text', text}`, `{type: 'image_url', image_url: {url}}`... */
export type EmbeddingContentPart = { type: string } & Record<string, unknown>;

/**
 * An embeddings request as arkgate receives it: OpenAI's `input` (text, texts, token arrays),
 * or arkgate's extension for multimodal models (content parts, or arrays of them, per item).
 * Every other field goes to ModelArk untouched.
 */
export interface EmbeddingsParams {
  model: string;
  input: unknown;
  [field: string]: unknown;
}
