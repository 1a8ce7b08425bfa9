import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Min } from 'class-validator';
import { IsResponsesInput } from './is-responses-input.validator';
import { ModelParametersDto } from './model-parameters.dto';

/**
 * OpenAI's Responses API request, which ModelArk serves natively. Only the fields arkgate needs
 * are validated; every field, including ones not listed here, is forwarded to ModelArk.
 */
export class ResponsesRequestDto extends ModelParametersDto {
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

  @ApiPropertyOptional({ description: 'Output tokens, reasoning included', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_output_tokens?: number;

  @ApiPropertyOptional({ example: { effort: 'low' } })
  @IsOptional()
  @IsObject()
  reasoning?: { effort?: 'minimal' | 'low' | 'medium' | 'high' };
}
