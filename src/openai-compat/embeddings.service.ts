import { Injectable } from '@nestjs/common';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { EmbeddingsLlmService } from '../llm/embeddings-llm.service';
import { embeddingsSpanOutputs } from '../llm/llm-span.attributes';
import { withTraceOutputs } from '../tracing/trace-outputs';
import { EmbeddingsRequestDto } from './embeddings-request.dto';

/** OpenAI's embeddings, answered in OpenAI's shape. */
@Injectable()
export class EmbeddingsService {
  constructor(private readonly llm: EmbeddingsLlmService) {}

  async create(
    request: EmbeddingsRequestDto,
    signal: AbortSignal,
  ): Promise<CreateEmbeddingResponse> {
    const { data } = await this.llm.createEmbeddings(request, { signal });
    // The root span keeps the summary too, not every vector.
    return withTraceOutputs(data, embeddingsSpanOutputs(data));
  }
}
