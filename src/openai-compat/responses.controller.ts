import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { clientAbortSignal } from '../common/http/client-abort.signal';
import { SSE_HEADERS } from '../common/sse/sse.stream';
import {
  RESPONSE_EXAMPLE,
  RESPONSE_STREAM_EXAMPLE,
  RESPONSES_REQUEST_EXAMPLES,
} from './responses-examples';
import { ResponsesRequestDto } from './responses-request.dto';
import { ResponsesService } from './responses.service';

@ApiTags('OpenAI-compatible')
@Controller('v1')
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  @Post('responses')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a model response (OpenAI Responses API, JSON or SSE)',
    description:
      'ModelArk serves the Responses API natively; the request is forwarded as it is. With ' +
      '`stream: true` the answer is `text/event-stream`: `event: <type>` and `data: <event>` per ' +
      'event, ending with `response.completed` (no `[DONE]`). An error after the stream started ' +
      'arrives as `event: error` with `{"type": "error", "code", "message", "param", "sequence_number"}`.',
  })
  @ApiBody({ type: ResponsesRequestDto, examples: RESPONSES_REQUEST_EXAMPLES })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({
    description: 'A response object, or an SSE stream of Responses API events',
    content: {
      'application/json': { example: RESPONSE_EXAMPLE },
      'text/event-stream': { example: RESPONSE_STREAM_EXAMPLE },
    },
  })
  @ApiErrorResponses(400, 401, 404, 429, 502, 503, 504)
  async create(
    @Body() request: ResponsesRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const signal = clientAbortSignal(reply);
    if (!request.stream) return this.responses.create(request, signal);
    const body = await this.responses.stream(request, signal);
    void reply.headers(SSE_HEADERS);
    return body;
  }
}
