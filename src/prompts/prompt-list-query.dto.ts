import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

export const PROMPT_LIST_DEFAULT_SIZE = 50;
export const PROMPT_LIST_MAX_SIZE = 200;

/** Query of `GET /v1/prompts`. */
export class PromptListQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: PROMPT_LIST_MAX_SIZE,
    default: PROMPT_LIST_DEFAULT_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PROMPT_LIST_MAX_SIZE)
  max_results?: number;

  @ApiPropertyOptional({ description: '`nextPageToken` of the previous page' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  page_token?: string;
}
