import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { Model } from 'openai/resources/models';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import { arkConfig } from '../config/ark.config';
import { MetricsService } from '../metrics/metrics.service';
import { MlflowSpanAttribute } from '../tracing/mlflow/mlflow.constants';
import { Tracer } from '../tracing/tracer';
import { requireArkClient } from './ark-client.required';
import { ChatParams, LlmCallOptions, UpstreamResult } from './llm-call.model';
import { chatTokenUsage, llmRequestAttributes, UPSTREAM_REQUEST_ID } from './llm-span.attributes';
import { recordLlmFailure, startLlmSpan } from './llm-span.lifecycle';
import { withIdleTimeout } from './idle-timeout.iterator';
import { ARK_CLIENT } from './llm.constants';
import { tracedChatStream } from './traced-chat-stream';
import { mapUpstreamError } from './upstream-error.mapper';

/**
 * Chat completions and models at BytePlus ModelArk, each call recorded as the span MLflow's
 * OpenAI integration would record (`Completions`, type CHAT_MODEL). Responses and embeddings
 * live in their own services beside this one.
 */
@Injectable()
export class LlmService {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    @Inject(arkConfig.KEY) private readonly config: ConfigType<typeof arkConfig>,
    private readonly tracer: Tracer,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  get configured(): boolean {
    return this.client !== null;
  }

  /** Wraps an upstream stream so STREAM_IDLE_TIMEOUT_MS of silence aborts `upstream` and throws. */
  withIdleTimeout<T>(data: AsyncIterable<T>, upstream: AbortController): AsyncIterable<T> {
    return withIdleTimeout(data, this.config.streamIdleTimeoutMs, () => upstream.abort());
  }

  /** Fills in the default model; throws 400 when there is none. */
  resolveModel(model: string | undefined): string {
    const resolved = model ?? this.config.defaultModel;
    if (!resolved) {
      throw new GatewayError('model is required (no ARK_DEFAULT_MODEL is configured)', {
        status: 400,
        code: GatewayErrorCode.InvalidRequest,
        type: 'invalid_request_error',
        param: 'model',
      });
    }
    return resolved;
  }

  /** One chat completion; every field of `params` is sent to ModelArk as it is. */
  async createChatCompletion(
    params: ChatParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<ChatCompletion>> {
    const client = requireArkClient(this.client);
    const body = { ...params, model: this.resolveModel(params.model), stream: false };
    const span = this.startCompletionsSpan(body);
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: 'chat' });
    let outcome = 'error';
    try {
      const { data, request_id } = await this.tracer.run(span, () =>
        client.chat.completions
          .create(body as ChatCompletionCreateParamsNonStreaming, { signal: options.signal })
          .withResponse(),
      );
      span?.setOutputs(data);
      span?.setAttribute(MlflowSpanAttribute.chatTokenUsage, chatTokenUsage(data.usage));
      span?.setAttribute(UPSTREAM_REQUEST_ID, request_id ?? undefined);
      this.metrics?.observeTokens(
        body.model,
        data.usage?.prompt_tokens,
        data.usage?.completion_tokens,
      );
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
   * Starts a streaming chat completion. Resolves once ModelArk has accepted the request, so
   * errors before the first chunk still become an HTTP status; errors later are thrown by the
   * iterator. Usage is always requested upstream (for the trace) and handed on only when asked.
   */
  async streamChatCompletion(
    params: ChatParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<AsyncIterable<ChatCompletionChunk>>> {
    const client = requireArkClient(this.client);
    const callerOptions = params.stream_options as { include_usage?: boolean } | undefined;
    const body = {
      ...params,
      model: this.resolveModel(params.model),
      stream: true,
      stream_options: { ...callerOptions, include_usage: true },
    };
    const span = this.startCompletionsSpan({ ...params, model: body.model, stream: true });
    const timer = this.metrics?.upstreamDuration.startTimer({ operation: 'chat_stream' });
    const upstream = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, upstream.signal])
      : upstream.signal;
    let started = false;
    try {
      const { data, request_id } = await this.tracer.run(span, () =>
        client.chat.completions
          .create(body as ChatCompletionCreateParamsStreaming, { signal })
          .withResponse(),
      );
      span?.setAttribute(UPSTREAM_REQUEST_ID, request_id ?? undefined);
      started = true;
      const stripUsageChunk = callerOptions?.include_usage !== true;
      return {
        data: tracedChatStream(this.withIdleTimeout(data, upstream), span, {
          stripUsageChunk,
          metrics: this.metrics,
          model: body.model,
        }),
        upstreamRequestId: request_id,
      };
    } catch (error) {
      recordLlmFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      timer?.({ outcome: started ? 'ok' : 'error' });
      if (!started) span?.end();
    }
  }

  async listModels(options: LlmCallOptions = {}): Promise<Model[]> {
    const client = requireArkClient(this.client);
    try {
      const page = await client.models.list({ signal: options.signal });
      return page.data;
    } catch (error) {
      throw mapUpstreamError(error);
    }
  }

  private startCompletionsSpan(body: Record<string, unknown>) {
    return startLlmSpan(this.tracer, 'Completions', 'CHAT_MODEL', body, llmRequestAttributes(body));
  }
}
