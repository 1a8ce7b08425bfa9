import { Inject, Injectable, Optional } from '@nestjs/common';
import type OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { MlflowSpanAttribute } from '../tracing/mlflow/mlflow.constants';
import { MetricsService } from '../metrics/metrics.service';
import { Tracer } from '../tracing/tracer';
import { requireArkClient } from './ark-client.required';
import { LlmCallOptions, UpstreamResult } from './llm-call.model';
import {
  responsesRequestAttributes,
  responsesTokenUsage,
  UPSTREAM_REQUEST_ID,
} from './llm-span.attributes';
import { recordLlmFailure, startLlmSpan } from './llm-span.lifecycle';
import { ARK_CLIENT } from './llm.constants';
import { LlmService } from './llm.service';
import { ResponsesParams } from './responses-call.model';
import { tracedResponsesStream } from './traced-responses-stream';
import { mapUpstreamError } from './upstream-error.mapper';

const SPAN_NAME = 'Responses';

/**
 * ModelArk's native Responses API (`POST /responses`), each call recorded as the span MLflow's
 * OpenAI integration would record (`Responses`, type CHAT_MODEL). The body is posted as it is,
 * not through `client.responses.create`, which would add `output_text` to the answer.
 */
@Injectable()
export class ResponsesLlmService {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    private readonly llm: LlmService,
    private readonly tracer: Tracer,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** One Response; every field of `params` is sent to ModelArk as it is. */
  async createResponse(
    params: ResponsesParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<Response>> {
    const client = requireArkClient(this.client);
    const body = { ...params, model: this.llm.resolveModel(params.model), stream: false };
    const span = startLlmSpan(
      this.tracer,
      SPAN_NAME,
      'CHAT_MODEL',
      body,
      responsesRequestAttributes(body),
    );
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: 'responses' });
    let outcome = 'error';
    try {
      const { data, request_id } = await this.tracer.run(span, () =>
        client.post<Response>('/responses', { body, signal: options.signal }).withResponse(),
      );
      span?.setOutputs(data);
      span?.setAttribute(MlflowSpanAttribute.chatTokenUsage, responsesTokenUsage(data.usage));
      span?.setAttribute(UPSTREAM_REQUEST_ID, request_id ?? undefined);
      this.metrics?.observeTokens(body.model, data.usage?.input_tokens, data.usage?.output_tokens);
      outcome = 'ok';
      return { data, upstreamRequestId: request_id };
    } catch (error) {
      recordLlmFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      timer?.({ outcome });
      span?.end();
    }
  }

  /**
   * Starts a streaming Response. Resolves once ModelArk has accepted the request, so errors
   * before the first event still become an HTTP status; errors later are thrown by the iterator.
   */
  async streamResponse(
    params: ResponsesParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<AsyncIterable<ResponseStreamEvent>>> {
    const client = requireArkClient(this.client);
    const body = { ...params, model: this.llm.resolveModel(params.model), stream: true };
    const span = startLlmSpan(
      this.tracer,
      SPAN_NAME,
      'CHAT_MODEL',
      body,
      responsesRequestAttributes(body),
    );
    const upstream = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, upstream.signal])
      : upstream.signal;
    let started = false;
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: 'responses_stream' });
    try {
      const { data, request_id } = await this.tracer.run(span, () =>
        client
          .post<AsyncIterable<ResponseStreamEvent>>('/responses', {
            body,
            stream: true,
            signal,
          })
          .withResponse(),
      );
      span?.setAttribute(UPSTREAM_REQUEST_ID, request_id ?? undefined);
      started = true;
      timer?.({ outcome: 'ok' });
      const hooks = {
        firstToken: (seconds: number) =>
          this.metrics?.timeToFirstToken.observe({ model: body.model }, seconds),
        usage: (usage?: { input_tokens?: number; output_tokens?: number } | null) =>
          this.metrics?.observeTokens(body.model, usage?.input_tokens, usage?.output_tokens),
      };
      return {
        data: tracedResponsesStream(
          this.llm.withIdleTimeout(data, upstream),
          span,
          options.signal,
          hooks,
        ),
        upstreamRequestId: request_id,
      };
    } catch (error) {
      recordLlmFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      if (!started) {
        timer?.({ outcome: 'error' });
        span?.end();
      }
    }
  }
}
