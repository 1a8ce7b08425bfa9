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
} from 'class-validator';

/** Query string of `GET /v1/chat/stream`, for `EventSource`, which can only send GET. */
export class ChatStreamQueryDto {
  @ApiProperty({ example: 'Write a haiku about the sea.' })
  @IsString()
  @IsNotEmpty()
  input: string;

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
