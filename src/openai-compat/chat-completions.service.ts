import { Injectable } from '@nestjs/common';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { toErrorResponse } from '../common/errors/error-response.mapper';
import type { SseBody } from '../common/sse/sse-body';
import type { LlmCallOptions } from '../llm/llm-call.model';
import { LlmStreamRelay } from '../llm/llm-stream.relay';
import { LlmService } from '../llm/llm.service';
import { PromptService } from '../prompts/prompt.service';
import { ChatCompletionRequestDto } from './chat-completion-request.dto';

/** OpenAI's chat completions, answered exactly in OpenAI's wire format. */
@Injectable()
export class ChatCompletionsService {
  constructor(
    private readonly llm: LlmService,
    private readonly prompts: PromptService,
    private readonly relay: LlmStreamRelay,
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
   * then relays each chunk as `data: <chunk>` and ends with `data: [DONE]`, or with
   * `data: {"error": ...}` when the stream fails.
   */
  async stream(request: ChatCompletionRequestDto, options: LlmCallOptions): Promise<SseBody> {
    const params = await this.prompts.apply(request.prompt, { ...request });
    const { data: chunks } = await this.llm.streamChatCompletion(params, options);
    return this.relay.relay(chunks, {
      signal: options.signal,
      framing: {
        item: (chunk, sse) => sse.data(chunk),
        complete: (sse) => sse.data('[DONE]'),
        fail: (error, sse) => sse.data(toErrorResponse(error).body),
      },
    });
  }
}
