import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Readable } from 'node:stream';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { toErrorResponse } from '../common/errors/error-response.mapper';
import { SseStream } from '../common/sse/sse.stream';
import { appConfig } from '../config/app.config';
import { ChatStreamAggregator } from '../llm/chat-stream.aggregator';
import type { LlmCallOptions } from '../llm/llm-call.model';
import { LlmService } from '../llm/llm.service';
import { PromptService } from '../prompts/prompt.service';
import { Tracer } from '../tracing/tracer';
import { ChatCompletionRequestDto } from './chat-completion-request.dto';

/** OpenAI's chat completions, answered exactly in OpenAI's wire format. */
@Injectable()
export class ChatCompletionsService {
  constructor(
    private readonly llm: LlmService,
    private readonly tracer: Tracer,
    private readonly prompts: PromptService,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  async complete(
    request: ChatCompletionRequestDto,
    options: LlmCallOptions,
  ): Promise<ChatCompletion> {
    const params = await this.prompts.apply(request.prompt, { ...request });
    const { data } = await this.llm.createChatCompletion({ ...params, stream: false }, options);
    return data;
  }

  /**
   * Starts the upstream stream (errors before it starts are thrown, so they keep their status),
   * then relays each chunk as `data: <chunk>` and ends with `data: [DONE]`.
   */
  async stream(request: ChatCompletionRequestDto, options: LlmCallOptions): Promise<Readable> {
    const params = await this.prompts.apply(request.prompt, { ...request });
    const { data: chunks } = await this.llm.streamChatCompletion(params, options);
    const sse = new SseStream(this.config.sseKeepAliveMs);
    void this.relay(chunks, sse);
    return sse.readable;
  }

  private async relay(chunks: AsyncIterable<ChatCompletionChunk>, sse: SseStream): Promise<void> {
    const root = this.tracer.currentRoot();
    const aggregator = new ChatStreamAggregator();
    try {
      for await (const chunk of chunks) {
        if (!sse.open) break;
        aggregator.add(chunk);
        await sse.data(chunk);
      }
      await sse.data('[DONE]');
    } catch (error) {
      root?.recordException(error);
      await sse.data(toErrorResponse(error).body);
    } finally {
      root?.setOutputs(aggregator.result());
      sse.end();
    }
  }
}
