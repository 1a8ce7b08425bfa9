import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiCacheHeader } from '../cache/api-cache-header.decorator';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { llmCallOptions } from '../llm/llm-call.options';
import { SSE_HEADERS } from '../common/sse/sse.stream';
import { ApiPromptErrors } from '../prompts/api-prompt-errors.decorator';
import { promptFromQuery } from '../prompts/prompt-query.mapper';
import { CHAT_REQUEST_EXAMPLES, CHAT_STREAM_EXAMPLE } from './chat-examples';
import { ChatRequestDto } from './chat-request.dto';
import { ChatResponseDto } from './chat-response.model';
import { ChatStreamQueryDto } from './chat-stream-query.dto';
import { ChatService } from './chat.service';

const STREAM_DESCRIPTION =
  'Server-Sent Events: `delta` `{content?, reasoning?, toolCalls?}` as tokens arrive, then one ' +
  'terminal event, `done` `{id, model, finishReason, usage, reasoning?, toolCalls?}` or `error` ' +
  '`{status, error: {message, type, code, param}}`. Comments (`: keep-alive`) keep quiet streams open.';

@ApiTags('Chat')
@Controller('v1/chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post()
  @HttpCode(200)
  @ApiCacheHeader()
  @ApiOperation({ summary: 'Chat, answered in one JSON body' })
  @ApiBody({ type: ChatRequestDto, examples: CHAT_REQUEST_EXAMPLES })
  @ApiOkResponse({ type: ChatResponseDto })
  @ApiErrorResponses(400, 401, 404, 429, 502, 503, 504)
  @ApiPromptErrors(422)
  complete(@Body() request: ChatRequestDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.chat.complete(request, llmCallOptions(reply));
  }

  @Post('stream')
  @HttpCode(200)
  @ApiCacheHeader()
  @ApiOperation({
    summary: 'Chat over SSE, for fetch() streaming',
    description: STREAM_DESCRIPTION,
  })
  @ApiBody({ type: ChatRequestDto, examples: CHAT_REQUEST_EXAMPLES })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ content: { 'text/event-stream': { example: CHAT_STREAM_EXAMPLE } } })
  @ApiErrorResponses(400, 401, 404, 429, 502, 503, 504)
  @ApiPromptErrors(422)
  streamPost(@Body() request: ChatRequestDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.startStream(request, reply);
  }

  @Get('stream')
  @ApiOperation({ summary: 'Chat over SSE, for EventSource', description: STREAM_DESCRIPTION })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ content: { 'text/event-stream': { example: CHAT_STREAM_EXAMPLE } } })
  @ApiQuery({
    name: 'var.<name>',
    required: false,
    description: 'A prompt variable, e.g. `var.question=How do I rotate my key?`',
  })
  @ApiErrorResponses(400, 401, 404, 429, 502, 503, 504)
  @ApiPromptErrors(422)
  streamGet(@Query() query: ChatStreamQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    // Only the documented parameters: a query string also carries cache-busters and the browser
    // token (`access_token`), which must never reach ModelArk.
    const { thinking, prompt, ...rest } = promptFromQuery(query);
    const { input, model, sessionId, userId, temperature, max_tokens, reasoning_effort } = rest;
    const known = { input, model, sessionId, userId, temperature, max_tokens, reasoning_effort };
    const request: ChatRequestDto = {
      ...Object.fromEntries(Object.entries(known).filter(([, value]) => value !== undefined)),
      ...(prompt ? { prompt } : {}),
      ...(thinking ? { thinking: { type: thinking } } : {}),
    };
    return this.startStream(request, reply);
  }

  private async startStream(request: ChatRequestDto, reply: FastifyReply) {
    const body = await this.chat.stream(request, llmCallOptions(reply));
    void reply.headers(SSE_HEADERS);
    return body;
  }
}
