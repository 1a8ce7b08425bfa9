import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Query of `GET /v1/prompts/{name}`: a version or an alias; neither means the latest. */
export class PromptQueryDto {
  @ApiPropertyOptional({ example: '3' })
  @IsOptional()
  @IsString()
  version?: string;

  @ApiPropertyOptional({ example: 'production' })
  @IsOptional()
  @IsString()
  alias?: string;
}
