import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { clientAbortSignal } from '../common/http/client-abort.signal';
import { EMBEDDINGS_EXAMPLE, EMBEDDINGS_REQUEST_EXAMPLES } from './embeddings-examples';
import { EmbeddingsRequestDto } from './embeddings-request.dto';
import { EmbeddingsService } from './embeddings.service';

@ApiTags('OpenAI-compatible')
@Controller('v1')
export class EmbeddingsController {
  constructor(private readonly embeddings: EmbeddingsService) {}

  @Post('embeddings')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create embeddings (OpenAI wire format)',
    description:
      'Text (a string, strings, token arrays) goes to ModelArk `/embeddings` as it is. Content ' +
      'parts, or any input for a multimodal model (id containing `embedding-vision`), go to ' +
      '`/embeddings/multimodal`: one call per item (a string, a part, or an array of parts ' +
      'embedded together), assembled into one list with indexes in input order and summed usage. ' +
      'For a multimodal endpoint id (`ep-...`), send content parts.',
  })
  @ApiBody({ type: EmbeddingsRequestDto, examples: EMBEDDINGS_REQUEST_EXAMPLES })
  @ApiOkResponse({
    description: 'A list of embedding objects (base64 strings with `encoding_format: base64`)',
    content: { 'application/json': { example: EMBEDDINGS_EXAMPLE } },
  })
  @ApiErrorResponses(400, 401, 404, 429, 502, 503, 504)
  async create(
    @Body() request: EmbeddingsRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.embeddings.create(request, clientAbortSignal(reply));
  }
}
