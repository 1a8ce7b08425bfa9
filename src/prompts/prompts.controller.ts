import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SkipTracing } from '../tracing/skip-tracing.decorator';
import { ApiPromptErrors } from './api-prompt-errors.decorator';
import { PromptDescriptionDto } from './prompt-description.model';
import { PROMPT_DESCRIPTION_EXAMPLE, PROMPT_LIST_EXAMPLE } from './prompt-examples';
import { PromptListQueryDto } from './prompt-list-query.dto';
import { PromptListDto } from './prompt-list.model';
import { PromptQueryDto } from './prompt-query.dto';
import { PromptService } from './prompt.service';

@ApiTags('Prompts')
@SkipTracing()
@Controller('v1/prompts')
export class PromptsController {
  constructor(private readonly prompts: PromptService) {}

  @Get()
  @ApiOperation({
    summary: "The prompts in MLflow's prompt registry",
    description:
      'One page of prompts (registered models tagged `mlflow.prompt.is_prompt`), each with its ' +
      'latest version, its aliases and descriptions. Read from MLflow on every call; page with ' +
      '`max_results` and `page_token` (`nextPageToken` of the previous page).',
  })
  @ApiOkResponse({ type: PromptListDto, example: PROMPT_LIST_EXAMPLE })
  @ApiPromptErrors(400, 503)
  list(@Query() query: PromptListQueryDto) {
    return this.prompts.list(query);
  }

  @Get(':name')
  @ApiOperation({
    summary: 'What a prompt from the MLflow registry expects',
    description:
      'The template of a version (`?version=3`), of the version an alias points to ' +
      '(`?alias=production`), or of the latest version, with its `{{variables}}`, model config ' +
      'and aliases. Served from the same cache chat requests use.',
  })
  @ApiParam({ name: 'name', example: 'support-agent' })
  @ApiOkResponse({ type: PromptDescriptionDto, example: PROMPT_DESCRIPTION_EXAMPLE })
  @ApiPromptErrors(400, 404, 503)
  describe(@Param('name') name: string, @Query() query: PromptQueryDto) {
    return this.prompts.describe(name, query);
  }
}
