import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiCacheHeader } from '../cache/api-cache-header.decorator';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { llmCallOptions } from '../llm/llm-call.options';
import { SSE_HEADERS } from '../common/sse/sse.stream';
import { ChatCompletionRequestDto } from './chat-completion-request.dto';
import { ChatCompletionsService } from './chat-completions.service';
import {
  CHAT_COMPLETION_EXAMPLE,
  CHAT_COMPLETION_REQUEST_EXAMPLES,
  CHAT_COMPLETION_STREAM_EXAMPLE,
} from './openai-examples';

@ApiTags('OpenAI-compatible')
@Controller('v1')
export class ChatCompletionsController {
  constructor(private readonly completions: ChatCompletionsService) {}

  @Post('chat/completions')
  @HttpCode(200)
  @ApiCacheHeader()
  @ApiOperation({
    summary: 'Create a chat completion (OpenAI wire format, JSON or SSE)',
    description:
      'Point any OpenAI SDK at `/v1`. With `stream: true` the answer is `text/event-stream`: ' +
      '`data: <chat.completion.chunk>` lines, then `data: [DONE]`. An error after the stream ' +
      'started arrives as `data: {"error": {...}}`.',
  })
  @ApiBody({ type: ChatCompletionRequestDto, examples: CHAT_COMPLETION_REQUEST_EXAMPLES })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({
    description: 'A chat.completion object, or an SSE stream of chat.completion.chunk objects',
    content: {
      'application/json': { example: CHAT_COMPLETION_EXAMPLE },
      'text/event-stream': { example: CHAT_COMPLETION_STREAM_EXAMPLE },
    },
  })
  @ApiErrorResponses(400, 401, 404, 429, 502, 503, 504)
  async create(
    @Body() request: ChatCompletionRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const options = llmCallOptions(reply);
    if (!request.stream) return this.completions.complete(request, options);
    const body = await this.completions.stream(request, options);
    void reply.headers(SSE_HEADERS);
    return body;
  }
}
