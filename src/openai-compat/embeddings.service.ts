import { Injectable } from '@nestjs/common';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { EmbeddingsLlmService } from '../llm/embeddings-llm.service';
import { embeddingsSpanOutputs } from '../llm/llm-span.attributes';
import { Tracer } from '../tracing/tracer';
import { EmbeddingsRequestDto } from './embeddings-request.dto';

/** OpenAI's embeddings, answered in OpenAI's shape. */
@Injectable()
export class EmbeddingsService {
  constructor(
    private readonly llm: EmbeddingsLlmService,
    private readonly tracer: Tracer,
  ) {}

  async create(
    request: EmbeddingsRequestDto,
    signal: AbortSignal,
  ): Promise<CreateEmbeddingResponse> {
    const { data } = await this.llm.createEmbeddings(request, { signal });
    // The root span keeps the summary too, not every vector.
    this.tracer.currentRoot()?.setOutputs(embeddingsSpanOutputs(data));
    return data;
  }
}
