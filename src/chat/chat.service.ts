import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Readable } from 'node:stream';
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { toErrorResponse } from '../common/errors/error-response.mapper';
import { SseStream } from '../common/sse/sse.stream';
import { appConfig } from '../config/app.config';
import { ChatStreamAggregator } from '../llm/chat-stream.aggregator';
import type { LlmCallOptions } from '../llm/llm-call.model';
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
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  async complete(request: ChatRequestDto, options: LlmCallOptions): Promise<ChatResponseDto> {
    const { data } = await this.llm.createChatCompletion(await this.toUpstream(request), options);
    const root = this.tracer.currentRoot();
    return { ...toChatResponse(data), traceId: root?.trace.traceId };
  }

  /** Named events: `delta` per piece of text or reasoning, then `done` or `error`. */
  async stream(request: ChatRequestDto, options: LlmCallOptions): Promise<Readable> {
    const params = { ...(await this.toUpstream(request)), stream_options: { include_usage: true } };
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
        const delta = toDeltaEvent(chunk);
        if (delta) await sse.event('delta', delta);
      }
      const { content: _content, ...done } = toChatResponse(aggregator.result());
      await sse.event('done', { ...done, traceId: root?.trace.traceId });
    } catch (error) {
      root?.recordException(error);
      const { status, body } = toErrorResponse(error);
      await sse.event('error', { status, ...body, traceId: root?.trace.traceId });
    } finally {
      root?.setOutputs(toChatResponse(aggregator.result()));
      sse.end();
    }
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
