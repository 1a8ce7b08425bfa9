import { Inject, Injectable, Optional } from '@nestjs/common';
import type OpenAI from 'openai';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { MlflowSpanAttribute } from '../tracing/mlflow/mlflow.constants';
import { MetricsService } from '../metrics/metrics.service';
import { Tracer } from '../tracing/tracer';
import { requireArkClient } from './ark-client.required';
import { EmbeddingsParams } from './embeddings-call.model';
import { planEmbeddingsRoute } from './embeddings-route.planner';
import { LlmCallOptions, UpstreamResult } from './llm-call.model';
import {
  embeddingsRequestAttributes,
  embeddingsSpanOutputs,
  embeddingsTokenUsage,
  UPSTREAM_REQUEST_ID,
} from './llm-span.attributes';
import { recordLlmFailure, startLlmSpan } from './llm-span.lifecycle';
import { ARK_CLIENT } from './llm.constants';
import { embedMultimodal } from './multimodal-embeddings.client';
import { mapUpstreamError } from './upstream-error.mapper';

/**
 * Embeddings at ModelArk in OpenAI's shape, each request recorded as one span the way MLflow's
 * OpenAI integration records it (`Embeddings`, type EMBEDDING), whichever endpoint served it.
 */
@Injectable()
export class EmbeddingsLlmService {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    private readonly tracer: Tracer,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Text to `/embeddings` as it is; content parts or multimodal models to `/embeddings/multimodal`. */
  async createEmbeddings(
    params: EmbeddingsParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<CreateEmbeddingResponse>> {
    const client = requireArkClient(this.client);
    const route = planEmbeddingsRoute(params.model, params.input);
    const span = startLlmSpan(
      this.tracer,
      'Embeddings',
      'EMBEDDING',
      params,
      embeddingsRequestAttributes(params),
    );
    span?.setAttribute(
      'arkgate.upstream.path',
      route.endpoint === 'text' ? '/embeddings' : '/embeddings/multimodal',
    );
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: 'embeddings' });
    let outcome = 'error';
    try {
      const result = await this.tracer.run(span, () =>
        route.endpoint === 'text'
          ? this.embedText(client, params, options.signal)
          : embedMultimodal(client, params, route.items, options.signal),
      );
      span?.setOutputs(embeddingsSpanOutputs(result.data));
      span?.setAttribute(
        MlflowSpanAttribute.chatTokenUsage,
        embeddingsTokenUsage(result.data.usage),
      );
      span?.setAttribute(UPSTREAM_REQUEST_ID, result.upstreamRequestId ?? undefined);
      this.metrics?.observeTokens(params.model, result.data.usage?.prompt_tokens, 0);
      outcome = 'ok';
      return result;
    } catch (error) {
      recordLlmFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      timer?.({ outcome });
      span?.end();
    }
  }

  private async embedText(
    client: OpenAI,
    params: EmbeddingsParams,
    signal?: AbortSignal,
  ): Promise<UpstreamResult<CreateEmbeddingResponse>> {
    // Posted as it is: `client.embeddings.create` would change the encoding_format it sends.
    const { data, request_id } = await client
      .post<CreateEmbeddingResponse>('/embeddings', { body: params, signal })
      .withResponse();
    return { data, upstreamRequestId: request_id };
  }
}
