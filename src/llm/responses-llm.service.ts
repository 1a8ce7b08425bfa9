import { Injectable, Optional } from '@nestjs/common';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { MetricsService } from '../metrics/metrics.service';
import { Tracer } from '../tracing/tracer';
import { LlmCallOptions, UpstreamResult } from './llm-call.model';
import {
  recordTokenUsage,
  responsesRequestAttributes,
  responsesTokenUsage,
} from './llm-span.attributes';
import { startLlmSpan } from './llm-span.lifecycle';
import { LlmService } from './llm.service';
import { ResponsesParams } from './responses-call.model';
import { tracedResponsesStream, type ResponsesStreamHooks } from './traced-responses-stream';
import type { TracedStream } from './traced-stream.model';
import { UpstreamCallRunner, withRequestId } from './upstream-call.runner';
import { UpstreamTargets } from './upstream-targets';

const SPAN_NAME = 'Responses';

/**
 * ModelArk's native Responses API (`POST /responses`), each call recorded as the span MLflow's
 * OpenAI integration would record (`Responses`, type CHAT_MODEL). The body is posted as it is,
 * not through `client.responses.create`, which would add `output_text` to the answer.
 */
@Injectable()
export class ResponsesLlmService {
  constructor(
    private readonly targets: UpstreamTargets,
    private readonly llm: LlmService,
    private readonly tracer: Tracer,
    private readonly runner: UpstreamCallRunner,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** One Response; every field of `params` is sent to ModelArk as it is (an alias: its targets). */
  async createResponse(
    params: ResponsesParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<Response>> {
    const model = this.llm.resolveModel(params.model);
    return this.targets.call(model, (target) => {
      const body = { ...params, model: target.model, stream: false };
      const span = this.startResponsesSpan(body, target.spanAttributes);
      return this.runner.unary({
        operation: 'responses',
        span,
        send: () =>
          withRequestId(
            target.client.post<Response>('/responses', { body, signal: options.signal }),
          ),
        record: (data) => {
          span?.setOutputs(data);
          recordTokenUsage(span, responsesTokenUsage(data.usage), target.pricing);
          this.metrics?.observeTokens(
            body.model,
            data.usage?.input_tokens,
            data.usage?.output_tokens,
          );
        },
      });
    });
  }

  /** Starts a streaming Response (see {@link UpstreamCallRunner.stream}). */
  async streamResponse(
    params: ResponsesParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<TracedStream<ResponseStreamEvent, Response | undefined>>> {
    const model = this.llm.resolveModel(params.model);
    return this.targets.call(model, (target) => {
      const body = { ...params, model: target.model, stream: true };
      const span = this.startResponsesSpan(body, target.spanAttributes);
      const hooks: ResponsesStreamHooks = {
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
            target.client.post<AsyncIterable<ResponseStreamEvent>>('/responses', {
              body,
              stream: true,
              signal,
            }),
          ),
        trace: (data, abort) =>
          tracedResponsesStream(data, span, options.signal, { ...hooks, abort }, target.pricing),
      });
    });
  }

  private startResponsesSpan(body: Record<string, unknown>, attributes: Record<string, string>) {
    return startLlmSpan(this.tracer, SPAN_NAME, 'CHAT_MODEL', body, {
      ...responsesRequestAttributes(body),
      ...attributes,
    });
  }
}
