import type OpenAI from 'openai';
import type { CreateEmbeddingResponse, Embedding } from 'openai/resources/embeddings';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import type { EmbeddingContentPart, EmbeddingsParams } from './embeddings-call.model';
import type { UpstreamResult } from './llm-call.model';

/** Upstream calls in flight at once for one request. */
const CONCURRENCY = 4;

/** ModelArk's multimodal answer: one embedding for the whole input (`data` an object). */
interface MultimodalAnswer {
  model?: string;
  data?: { embedding?: number[] | string } | { embedding?: number[] | string }[];
  usage?: {
    prompt_tokens?: number;
    total_tokens?: number;
    prompt_tokens_details?: Record<string, unknown>;
  };
}

/** Runs `call` for each item, `limit` at a time; the first failure aborts the rest. */
async function eachLimited<T, R>(
  items: T[],
  limit: number,
  signal: AbortSignal | undefined,
  call: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const failed = new AbortController();
  const linked = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !linked.aborted) {
      const index = next++;
      results[index] = await call(items[index], linked);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  } catch (error) {
    failed.abort();
    throw error;
  }
  return results;
}

function brokenAnswer(index: number): GatewayError {
  return new GatewayError(
    `BytePlus ModelArk sent a multimodal embedding answer without an embedding (input.${index}).`,
    { status: 502, code: GatewayErrorCode.UpstreamBadResponse, type: 'server_error' },
  );
}

/** OpenAI's list: one `data` entry per item, in input order, usage summed over the calls. */
function assemble(model: string, answers: MultimodalAnswer[]): CreateEmbeddingResponse {
  let promptTokens = 0;
  let totalTokens = 0;
  const details: Record<string, number> = {};
  const data = answers.map((answer, index): Embedding => {
    const item = Array.isArray(answer.data) ? answer.data[0] : answer.data;
    if (item?.embedding === undefined) throw brokenAnswer(index);
    promptTokens += answer.usage?.prompt_tokens ?? 0;
    totalTokens += answer.usage?.total_tokens ?? 0;
    for (const [key, value] of Object.entries(answer.usage?.prompt_tokens_details ?? {})) {
      if (typeof value === 'number') details[key] = (details[key] ?? 0) + value;
    }
    // A base64 embedding stays a string, as OpenAI answers `encoding_format: 'base64'`.
    return { object: 'embedding', index, embedding: item.embedding as number[] };
  });
  const usage = { prompt_tokens: promptTokens, total_tokens: totalTokens };
  if (Object.keys(details).length > 0) Object.assign(usage, { prompt_tokens_details: details });
  return { object: 'list', model: answers[0]?.model ?? model, data, usage };
}

/**
 * Embeds each item with its own `POST /embeddings/multimodal` call (every other field of the
 * request sent along as it is) and assembles the answers into OpenAI's embeddings list.
 */
export async function embedMultimodal(
  client: OpenAI,
  params: EmbeddingsParams,
  items: EmbeddingContentPart[][],
  signal?: AbortSignal,
): Promise<UpstreamResult<CreateEmbeddingResponse>> {
  const { input: _input, ...fields } = params;
  const answers = await eachLimited(items, CONCURRENCY, signal, (parts, linked) =>
    client
      .post<MultimodalAnswer>('/embeddings/multimodal', {
        body: { ...fields, input: parts },
        signal: linked,
      })
      .withResponse(),
  );
  const requestIds = answers.map((answer) => answer.request_id).filter(Boolean);
  return {
    data: assemble(
      params.model,
      answers.map((answer) => answer.data),
    ),
    upstreamRequestId: requestIds.length > 0 ? requestIds.join(',') : null,
  };
}
