import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { IsResponsesInput } from './is-responses-input.validator';

/**
 * OpenAI's Responses API request, which ModelArk serves natively. Only the fields arkgate needs
 * are validated; every field, including ones not listed here, is forwarded to ModelArk.
 */
export class ResponsesRequestDto {
  @ApiPropertyOptional({
    description: 'ModelArk model id or endpoint id (ep-...); defaults to ARK_DEFAULT_MODEL',
    example: 'seed-1-6-250615',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model?: string;

  @ApiProperty({
    description: 'Text, or an array of input items (messages, function calls and their outputs)',
    example: 'What is the capital of France?',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
  })
  @IsResponsesInput()
  input: string | Record<string, unknown>[];

  @ApiPropertyOptional({ description: 'A system (developer) message put before the input' })
  @IsOptional()
  @IsString()
  instructions?: string;

  @ApiPropertyOptional({
    description: 'Stream the answer as SSE: `event: <type>` and `data: <event>` per event',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({
    description: 'Function tools `{type: "function", name, parameters}` and built-in tools',
    type: 'array',
    items: { type: 'object' },
  })
  @IsOptional()
  @IsArray()
  tools?: Record<string, unknown>[];

  @ApiPropertyOptional({ minimum: 0, maximum: 2, example: 0.7 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  top_p?: number;

  @ApiPropertyOptional({ description: 'Output tokens, reasoning included', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_output_tokens?: number;

  @ApiPropertyOptional({ example: { effort: 'low' } })
  @IsOptional()
  @IsObject()
  reasoning?: { effort?: 'minimal' | 'low' | 'medium' | 'high' };

  @ApiPropertyOptional({
    description: 'ModelArk deep thinking switch',
    example: { type: 'disabled' },
  })
  @IsOptional()
  @IsObject()
  thinking?: { type: 'enabled' | 'disabled' | 'auto' };

  [vendorField: string]: unknown;
}
