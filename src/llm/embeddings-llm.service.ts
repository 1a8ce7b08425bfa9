import { Injectable, Optional } from '@nestjs/common';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { MetricsService } from '../metrics/metrics.service';
import { Tracer } from '../tracing/tracer';
import { EmbeddingsParams } from './embeddings-call.model';
import { planEmbeddingsRoute } from './embeddings-route.planner';
import { LlmCallOptions, UpstreamResult } from './llm-call.model';
import {
  embeddingsRequestAttributes,
  embeddingsSpanOutputs,
  embeddingsTokenUsage,
  recordTokenUsage,
} from './llm-span.attributes';
import { startLlmSpan } from './llm-span.lifecycle';
import { embedMultimodal } from './multimodal-embeddings.client';
import { UpstreamCallRunner, withRequestId } from './upstream-call.runner';
import { UpstreamTargets } from './upstream-targets';

/**
 * Embeddings at ModelArk in OpenAI's shape, each request recorded as one span the way MLflow's
 * OpenAI integration records it (`Embeddings`, type EMBEDDING), whichever endpoint served it.
 */
@Injectable()
export class EmbeddingsLlmService {
  constructor(
    private readonly targets: UpstreamTargets,
    private readonly tracer: Tracer,
    private readonly runner: UpstreamCallRunner,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /**
   * Text to `/embeddings` as it is; content parts or multimodal models to `/embeddings/multimodal`.
   * An alias goes to its targets in turn.
   */
  async createEmbeddings(
    params: EmbeddingsParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<CreateEmbeddingResponse>> {
    return this.targets.call(params.model, (target) => {
      const sent = { ...params, model: target.model };
      const route = planEmbeddingsRoute(sent.model, sent.input);
      const span = startLlmSpan(this.tracer, 'Embeddings', 'EMBEDDING', sent, {
        ...embeddingsRequestAttributes(sent),
        ...target.spanAttributes,
        'arkgate.upstream.path':
          route.endpoint === 'text' ? '/embeddings' : '/embeddings/multimodal',
      });
      return this.runner.unary({
        operation: 'embeddings',
        span,
        // Text is posted as it is: `client.embeddings.create` would change its encoding_format.
        send: () =>
          route.endpoint === 'text'
            ? withRequestId(
                target.client.post<CreateEmbeddingResponse>('/embeddings', {
                  body: sent,
                  signal: options.signal,
                }),
              )
            : embedMultimodal(target.client, sent, route.items, options.signal),
        record: (data) => {
          span?.setOutputs(embeddingsSpanOutputs(data));
          recordTokenUsage(span, embeddingsTokenUsage(data.usage), target.pricing);
          this.metrics?.observeTokens(sent.model, data.usage?.prompt_tokens, 0);
        },
      });
    });
  }
}
