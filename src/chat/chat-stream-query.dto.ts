import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/**
 * Query string of `GET /v1/chat/stream`, for `EventSource`, which can only send GET. Besides the
 * fields below, `var.<name>=<value>` parameters are the prompt's variables.
 */
export class ChatStreamQueryDto {
  @ApiProperty({
    required: false,
    description: 'The user message (required unless `prompt` is given)',
    example: 'Write a haiku about the sea.',
  })
  @ValidateIf(
    (query: ChatStreamQueryDto) => query.prompt === undefined || query.input !== undefined,
  )
  @IsString()
  @IsNotEmpty()
  input?: string;

  @ApiPropertyOptional({
    description:
      "A prompt from MLflow's registry: `prompts:/<name>/<version>`, `prompts:/<name>@<alias>`, " +
      'or the same without `prompts:/` (`support-agent@production`; a bare name is the latest ' +
      'version). Its variables are the `var.<name>=<value>` query parameters.',
    example: 'prompts:/support-agent@production',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  prompt?: string;

  @ApiPropertyOptional({ example: 'seed-1-6-250615' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(250)
  sessionId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(250)
  userId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @ApiPropertyOptional({ enum: ['minimal', 'low', 'medium', 'high'] })
  @IsOptional()
  @IsIn(['minimal', 'low', 'medium', 'high'])
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';

  @ApiPropertyOptional({
    enum: ['enabled', 'disabled', 'auto'],
    description: 'ModelArk deep thinking',
  })
  @IsOptional()
  @IsIn(['enabled', 'disabled', 'auto'])
  thinking?: 'enabled' | 'disabled' | 'auto';
}
