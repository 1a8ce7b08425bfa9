import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import OpenAI from 'openai';
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
import { ChatParams, LlmCallOptions, UpstreamResult } from './llm-call.model';
import { ARK_CLIENT } from './llm.constants';
import { mapUpstreamError } from './upstream-error.mapper';

/** Every call arkgate makes to BytePlus ModelArk goes through here. */
@Injectable()
export class LlmService {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    @Inject(arkConfig.KEY) private readonly config: ConfigType<typeof arkConfig>,
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
    const body = {
      ...params,
      model: this.resolveModel(params.model),
      stream: false,
    } as ChatCompletionCreateParamsNonStreaming;
    try {
      const { data, request_id } = await client.chat.completions
        .create(body, { signal: options.signal })
        .withResponse();
      return { data, upstreamRequestId: request_id };
    } catch (error) {
      throw mapUpstreamError(error);
    }
  }

  /**
   * Starts a streaming chat completion. Resolves once ModelArk has accepted the request, so
   * errors before the first chunk still become an HTTP status; errors later are thrown by the iterator.
   */
  async streamChatCompletion(
    params: ChatParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<AsyncIterable<ChatCompletionChunk>>> {
    const client = this.requireClient();
    const body = {
      ...params,
      model: this.resolveModel(params.model),
      stream: true,
    } as ChatCompletionCreateParamsStreaming;
    try {
      const { data, request_id } = await client.chat.completions
        .create(body, { signal: options.signal })
        .withResponse();
      return { data: mapStreamErrors(data), upstreamRequestId: request_id };
    } catch (error) {
      throw mapUpstreamError(error);
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

async function* mapStreamErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (error) {
    throw mapUpstreamError(error);
  }
}
