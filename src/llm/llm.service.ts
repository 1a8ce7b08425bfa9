import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
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
import { Tracer } from '../tracing/tracer';
import { UpstreamTargets } from './upstream-targets';
import { completionChunks } from '../cache/completion-chunks';
import { ResponseCacheService } from '../cache/response-cache.service';

/** Marks the LLM span of an answer from the response cache. */
const CACHE_HIT_ATTRIBUTES = { 'arkgate.cache': 'hit' };
/** A cached answer costs nothing. */
const FREE = { input: 0, output: 0 };
import { ChatParams, LlmCallOptions, UpstreamResult } from './llm-call.model';
import { chatTokenUsage, llmRequestAttributes, recordTokenUsage } from './llm-span.attributes';
import { startLlmSpan } from './llm-span.lifecycle';
import { tracedChatStream } from './traced-chat-stream';
import type { TracedStream } from './traced-stream.model';
import { UpstreamCallRunner, withRequestId } from './upstream-call.runner';
import { mapUpstreamError } from './upstream-error.mapper';

/**
 * Chat completions and models at BytePlus ModelArk, each call recorded as the span MLflow's
 * OpenAI integration would record (`Completions`, type CHAT_MODEL). Responses and embeddings
 * live in their own services beside this one.
 */
@Injectable()
export class LlmService {
  constructor(
    @Inject(arkConfig.KEY) private readonly config: ConfigType<typeof arkConfig>,
    private readonly tracer: Tracer,
    private readonly runner: UpstreamCallRunner,
    private readonly targets: UpstreamTargets,
    private readonly cache: ResponseCacheService,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  get configured(): boolean {
    return this.targets.configured;
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

  /**
   * One chat completion; every field of `params` is sent to ModelArk as it is. A model alias of
   * the routes file goes to its targets in turn (one span per target tried).
   */
  async createChatCompletion(
    params: ChatParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<ChatCompletion>> {
    const body = { ...params, model: this.resolveModel(params.model), stream: false };
    const cache = this.cache.policy(options.cache, body);
    const cached = cache && (await this.cache.lookup(cache));
    if (cached) return { data: this.recordCacheHit(body, cached), upstreamRequestId: null };
    const result = await this.targets.call(body.model, (target) => {
      const sent = { ...body, model: target.model };
      const span = this.startCompletionsSpan(sent, target.spanAttributes);
      return this.runner.unary({
        operation: 'chat',
        span,
        send: () =>
          withRequestId(
            target.client.chat.completions.create(sent as ChatCompletionCreateParamsNonStreaming, {
              signal: options.signal,
            }),
          ),
        record: (data) => {
          span?.setOutputs(data);
          recordTokenUsage(span, chatTokenUsage(data.usage), target.pricing);
          this.metrics?.observeTokens(
            sent.model,
            data.usage?.prompt_tokens,
            data.usage?.completion_tokens,
          );
        },
      });
    });
    if (cache) this.cache.save(cache, result.data);
    return result;
  }

  /**
   * Starts a streaming chat completion (see {@link UpstreamCallRunner.stream}). Usage is always
   * requested upstream (for the trace) and handed on only when the caller asked for it. An alias
   * falls back to its next target only before the stream started.
   */
  async streamChatCompletion(
    params: ChatParams,
    options: LlmCallOptions = {},
  ): Promise<UpstreamResult<TracedStream<ChatCompletionChunk, ChatCompletion>>> {
    const callerOptions = params.stream_options as { include_usage?: boolean } | undefined;
    const body = {
      ...params,
      model: this.resolveModel(params.model),
      stream: true,
      stream_options: { ...callerOptions, include_usage: true },
    };
    const stripUsageChunk = callerOptions?.include_usage !== true;
    const cache = this.cache.policy(options.cache, body);
    const cached = cache && (await this.cache.lookup(cache));
    if (cached) {
      const span = this.startCompletionsSpan(body, CACHE_HIT_ATTRIBUTES);
      // No metrics: nothing was asked of ModelArk.
      const replay = tracedChatStream(completionChunks(cached), span, {
        stripUsageChunk,
        model: body.model,
        pricing: { price: FREE },
      });
      return { data: replay, upstreamRequestId: null };
    }
    return this.targets.call(body.model, (target) => {
      const sent = { ...body, model: target.model };
      // The inputs are what ModelArk was sent, `stream_options.include_usage` included.
      const span = this.startCompletionsSpan(sent, target.spanAttributes);
      return this.runner.stream({
        operation: 'chat_stream',
        span,
        signal: options.signal,
        send: (signal) =>
          withRequestId(
            target.client.chat.completions.create(
              sent as unknown as ChatCompletionCreateParamsStreaming,
              { signal },
            ),
          ),
        trace: (data, abort) =>
          tracedChatStream(data, span, {
            stripUsageChunk,
            metrics: this.metrics,
            model: sent.model,
            pricing: target.pricing,
            onCompleted: cache && ((completion) => this.cache.save(cache, completion)),
            abort,
          }),
      });
    });
  }

  /** ModelArk's models, then the routes file's aliases (owned by `arkgate`). */
  async listModels(options: LlmCallOptions = {}): Promise<Model[]> {
    const client = this.targets.defaultClient();
    let models: Model[];
    try {
      models = (await client.models.list({ signal: options.signal })).data;
    } catch (error) {
      throw mapUpstreamError(error);
    }
    const known = new Set(models.map((model) => model.id));
    const aliases = this.targets
      .aliases()
      .filter((alias) => !known.has(alias))
      .map((id): Model => ({ id, object: 'model', created: 0, owned_by: 'arkgate' }));
    return [...models, ...aliases];
  }

  /** The span of an answer the cache gave: the request, the stored answer and usage, no cost. */
  private recordCacheHit(
    body: Record<string, unknown>,
    completion: ChatCompletion,
  ): ChatCompletion {
    const span = this.startCompletionsSpan(body, CACHE_HIT_ATTRIBUTES);
    span?.setOutputs(completion);
    recordTokenUsage(span, chatTokenUsage(completion.usage), { price: FREE });
    span?.end();
    return completion;
  }

  private startCompletionsSpan(body: Record<string, unknown>, attributes: Record<string, unknown>) {
    return startLlmSpan(this.tracer, 'Completions', 'CHAT_MODEL', body, {
      ...llmRequestAttributes(body),
      ...attributes,
    });
  }
}
