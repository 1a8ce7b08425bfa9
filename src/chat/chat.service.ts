import { Injectable } from '@nestjs/common';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { toErrorResponse } from '../common/errors/error-response.mapper';
import type { SseBody } from '../common/sse/sse-body';
import type { LlmCallOptions } from '../llm/llm-call.model';
import { LlmStreamRelay } from '../llm/llm-stream.relay';
import { LlmService } from '../llm/llm.service';
import { PromptService } from '../prompts/prompt.service';
import { Tracer } from '../tracing/tracer';
import { ChatRequestDto } from './chat-request.dto';
import { toChatResponse, toDeltaEvent } from './chat-response.mapper';
import { ChatResponseDto } from './chat-response.model';

const APP_FIELDS = new Set([
  'messages',
  'input',
  'sessionId',
  'userId',
  'stream',
  'stream_options',
  'prompt',
]);

/** The app-level chat: a simpler answer shape, and named SSE events for frontends. */
@Injectable()
export class ChatService {
  constructor(
    private readonly llm: LlmService,
    private readonly tracer: Tracer,
    private readonly prompts: PromptService,
    private readonly relay: LlmStreamRelay,
  ) {}

  async complete(request: ChatRequestDto, options: LlmCallOptions): Promise<ChatResponseDto> {
    const { data } = await this.llm.createChatCompletion(await this.toUpstream(request), options);
    return { ...toChatResponse(data), traceId: this.tracer.currentTraceId() };
  }

  /** Named events: `delta` per piece of text or reasoning, then `done` or `error`. */
  async stream(request: ChatRequestDto, options: LlmCallOptions): Promise<SseBody> {
    const params = { ...(await this.toUpstream(request)), stream_options: { include_usage: true } };
    const { data: chunks } = await this.llm.streamChatCompletion(params, options);
    const traceId = this.tracer.currentTraceId();
    return this.relay.relay(chunks, {
      signal: options.signal,
      outputs: toChatResponse,
      framing: {
        item: (chunk, sse) => {
          const delta = toDeltaEvent(chunk);
          return delta ? sse.event('delta', delta) : undefined;
        },
        complete: (sse) => {
          const { content: _content, ...done } = toChatResponse(chunks.aggregate);
          return sse.event('done', { ...done, traceId });
        },
        fail: (error, sse) => {
          const { status, body } = toErrorResponse(error);
          return sse.event('error', { status, ...body, traceId });
        },
      },
    });
  }

  private toUpstream(request: ChatRequestDto) {
    const messages: ChatCompletionMessageParam[] = [
      ...((request.messages ?? []) as ChatCompletionMessageParam[]),
    ];
    if (request.input !== undefined) messages.push({ role: 'user', content: request.input });
    const params: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(request)) {
      if (!APP_FIELDS.has(key) && value !== undefined) params[key] = value;
    }
    return this.prompts.apply(request.prompt, { ...params, messages }) as Promise<{
      messages: ChatCompletionMessageParam[];
      model?: string;
    }>;
  }
}
