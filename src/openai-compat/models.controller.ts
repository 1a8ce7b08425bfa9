import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { clientAbortSignal } from '../common/http/client-abort.signal';
import { LlmService } from '../llm/llm.service';
import { MODEL_LIST_EXAMPLE } from './openai-examples';

@ApiTags('OpenAI-compatible')
@Controller('v1')
export class ModelsController {
  constructor(private readonly llm: LlmService) {}

  @Get('models')
  @ApiOperation({ summary: 'List the models ModelArk offers to this account' })
  @ApiOkResponse({ content: { 'application/json': { example: MODEL_LIST_EXAMPLE } } })
  @ApiErrorResponses(502, 503, 504)
  async list(@Res({ passthrough: true }) reply: FastifyReply) {
    const data = await this.llm.listModels({ signal: clientAbortSignal(reply) });
    return { object: 'list', data };
  }
}
