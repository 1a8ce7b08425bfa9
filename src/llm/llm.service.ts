import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import OpenAI, { APIUserAbortError } from 'openai';
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
import type { ActiveSpan } from '../tracing/active-span';
import { MlflowSpanAttribute } from '../tracing/mlflow/mlflow.constants';
import { Tracer } from '../tracing/tracer';
import { ChatParams, LlmCallOptions, UpstreamResult } from './llm-call.model';
import { chatTokenUsage, llmRequestAttributes } from './llm-span.attributes';
import { ARK_CLIENT } from './llm.constants';
import { tracedChatStream } from './traced-chat-stream';
import { mapUpstreamError } from './upstream-error.mapper';

const UPSTREAM_REQUEST_ID = 'byteplus.request_id';

/**
 * Every call arkgate makes to BytePlus ModelArk goes through here, each recorded as the span
 * MLflow's OpenAI integration would record (`Completions`, type CHAT_MODEL).
 */
@Injectable()
export class LlmService {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    @Inject(arkConfig.KEY) private readonly config: ConfigType<typeof arkConfig>,
    private readonly tracer: Tracer,
  ) {}

  get configured(): boolean {
    return this.client !== null;
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
    const client = this.requireClient();
    const body = { ...params, model: this.resolveModel(params.model), stream: false };
    const span = this.startLlmSpan('Completions', body);
    try {
      const { data, request_id } = await this.tracer.run(span, () =>
        client.chat.completions
          .create(body as ChatCompletionCreateParamsNonStreaming, { signal: options.signal })
          .withResponse(),
      );
      span?.setOutputs(data);
      span?.setAttribute(MlflowSpanAttribute.chatTokenUsage, chatTokenUsage(data.usage));
      span?.setAttribute(UPSTREAM_REQUEST_ID, request_id ?? undefined);
      return { data, upstreamRequestId: request_id };
    } catch (error) {
      this.recordFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
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
    const client = this.requireClient();
    const callerOptions = params.stream_options as { include_usage?: boolean } | undefined;
    const body = {
      ...params,
      model: this.resolveModel(params.model),
      stream: true,
      stream_options: { ...callerOptions, include_usage: true },
    };
    const span = this.startLlmSpan('Completions', { ...params, model: body.model, stream: true });
    let started = false;
    try {
      const { data, request_id } = await this.tracer.run(span, () =>
        client.chat.completions
          .create(body as ChatCompletionCreateParamsStreaming, { signal: options.signal })
          .withResponse(),
      );
      span?.setAttribute(UPSTREAM_REQUEST_ID, request_id ?? undefined);
      started = true;
      const stripUsageChunk = callerOptions?.include_usage !== true;
      return {
        data: tracedChatStream(data, span, { stripUsageChunk }),
        upstreamRequestId: request_id,
      };
    } catch (error) {
      this.recordFailure(span, error);
      throw mapUpstreamError(error);
    } finally {
      if (!started) span?.end();
    }
  }

  async listModels(options: LlmCallOptions = {}): Promise<Model[]> {
    const client = this.requireClient();
    try {
      const page = await client.models.list({ signal: options.signal });
      return page.data;
    } catch (error) {
      throw mapUpstreamError(error);
    }
  }

  private startLlmSpan(name: string, body: Record<string, unknown>): ActiveSpan | null {
    const span = this.tracer.startSpan(name, 'CHAT_MODEL');
    span?.setInputs(body).setAttributes(llmRequestAttributes(body));
    return span;
  }

  private recordFailure(span: ActiveSpan | null, error: unknown): void {
    if (!span) return;
    if (error instanceof APIUserAbortError) {
      span.addEvent('client_disconnected').setStatus('ERROR', 'The caller went away');
    } else {
      span.recordException(error);
    }
  }

  private requireClient(): OpenAI {
    if (this.client) return this.client;
    throw new GatewayError(
      'arkgate has no BytePlus credentials: set ARK_API_KEY (and ARK_BASE_URL for a region other than ap-southeast) and restart.',
      {
        status: 503,
        code: GatewayErrorCode.UpstreamNotConfigured,
        type: 'service_unavailable_error',
      },
    );
  }
}
