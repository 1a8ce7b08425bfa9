import { Inject, Injectable, Optional } from '@nestjs/common';
import type OpenAI from 'openai';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { MlflowSpanAttribute } from '../mlflow/mlflow.constants';
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
} from './llm-span.attributes';
import { startLlmSpan } from './llm-span.lifecycle';
import { ARK_CLIENT } from './llm.constants';
import { embedMultimodal } from './multimodal-embeddings.client';
import { UpstreamCallRunner, withRequestId } from './upstream-call.runner';

/**
 * Embeddings at ModelArk in OpenAI's shape, each request recorded as one span the way MLflow's
 * OpenAI integration records it (`Embeddings`, type EMBEDDING), whichever endpoint served it.
 */
@Injectable()
export class EmbeddingsLlmService {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    private readonly tracer: Tracer,
    private readonly runner: UpstreamCallRunner,
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
    return this.runner.unary({
      operation: 'embeddings',
      span,
      // Text is posted as it is: `client.embeddings.create` would change its encoding_format.
      send: () =>
        route.endpoint === 'text'
          ? withRequestId(
              client.post<CreateEmbeddingResponse>('/embeddings', {
                body: params,
                signal: options.signal,
              }),
            )
          : embedMultimodal(client, params, route.items, options.signal),
      record: (data) => {
        span?.setOutputs(embeddingsSpanOutputs(data));
        span?.setAttribute(MlflowSpanAttribute.chatTokenUsage, embeddingsTokenUsage(data.usage));
        this.metrics?.observeTokens(params.model, data.usage?.prompt_tokens, 0);
      },
    });
  }
}
