import { Inject, Injectable, Optional } from '@nestjs/common';
import type OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { MlflowSpanAttribute } from '../mlflow/mlflow.constants';
import { MetricsService } from '../metrics/metrics.service';
import { Tracer } from '../tracing/tracer';
import { requireArkClient } from './ark-client.required';
import { LlmCallOptions, UpstreamResult } from './llm-call.model';
import { responsesRequestAttributes, responsesTokenUsage } from './llm-span.attributes';
import { startLlmSpan } from './llm-span.lifecycle';
import { ARK_CLIENT } from './llm.constants';
import { LlmService } from './llm.service';
import { ResponsesParams } from './responses-call.model';
import { tracedResponsesStream } from './traced-responses-stream';
import { UpstreamCallRunner, withRequestId } from './upstream-call.runner';

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
    private readonly runner: UpstreamCallRunner,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** One Response; every field of `params` is sent to ModelArk as it is. */
  async createResponse(
    params: ResponsesParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<Response>> {
    const client = requireArkClient(this.client);
    const body = { ...params, model: this.llm.resolveModel(params.model), stream: false };
    const span = this.startResponsesSpan(body);
    return this.runner.unary({
      operation: 'responses',
      span,
      send: () =>
        withRequestId(client.post<Response>('/responses', { body, signal: options.signal })),
      record: (data) => {
        span?.setOutputs(data);
        span?.setAttribute(MlflowSpanAttribute.chatTokenUsage, responsesTokenUsage(data.usage));
        this.metrics?.observeTokens(
          body.model,
          data.usage?.input_tokens,
          data.usage?.output_tokens,
        );
      },
    });
  }

  /** Starts a streaming Response (see {@link UpstreamCallRunner.stream}). */
  async streamResponse(
    params: ResponsesParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<AsyncIterable<ResponseStreamEvent>>> {
    const client = requireArkClient(this.client);
    const body = { ...params, model: this.llm.resolveModel(params.model), stream: true };
    const span = this.startResponsesSpan(body);
    const hooks = {
      firstToken: (seconds: number) =>
        this.metrics?.timeToFirstToken.observe({ model: body.model }, seconds),
      usage: (usage?: { input_tokens?: number; output_tokens?: number } | null) =>
        this.metrics?.observeTokens(body.model, usage?.input_tokens, usage?.output_tokens),
    };
    return this.runner.stream({
      operation: 'responses_stream',
      span,
      signal: options.signal,
      send: (signal) =>
        withRequestId(
          client.post<AsyncIterable<ResponseStreamEvent>>('/responses', {
            body,
            stream: true,
            signal,
          }),
        ),
      trace: (data) => tracedResponsesStream(data, span, options.signal, hooks),
    });
  }

  private startResponsesSpan(body: Record<string, unknown>) {
    return startLlmSpan(
      this.tracer,
      SPAN_NAME,
      'CHAT_MODEL',
      body,
      responsesRequestAttributes(body),
    );
  }
}
