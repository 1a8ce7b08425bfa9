import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PromptReferenceDto } from '../prompts/prompt-reference.dto';
import { ChatMessageDto } from './chat-message.dto';

/**
 * OpenAI's chat completion request. Only the fields arkgate needs are validated; every field,
 * including ones not listed here (ModelArk's `thinking`, vendor fields), is forwarded to ModelArk.
 */
export class ChatCompletionRequestDto {
  @ApiPropertyOptional({
    description: 'ModelArk model id or endpoint id (ep-...); defaults to ARK_DEFAULT_MODEL',
    example: 'seed-1-6-250615',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model?: string;

  @ApiProperty({
    type: [ChatMessageDto],
    required: false,
    description: 'The conversation (required unless `prompt` is given)',
  })
  @ValidateIf(
    (request: ChatCompletionRequestDto) =>
      request.prompt === undefined || request.messages !== undefined,
  )
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ChatMessageDto)
  messages: ChatMessageDto[];

  @ApiPropertyOptional({
    type: PromptReferenceDto,
    description:
      "arkgate's extension, not sent to ModelArk: a prompt from MLflow's prompt registry, " +
      'rendered with `variables`. A text prompt becomes the system message (the user message ' +
      "when `messages` is absent); a chat prompt's messages come before `messages`. The " +
      "prompt's model config (model, temperature, max_tokens...) applies where the request " +
      'sets nothing. With the OpenAI SDK, pass it as an extra body field.',
    example: { uri: 'prompts:/support-agent/3', variables: { question: 'How do I reset 2FA?' } },
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PromptReferenceDto)
  prompt?: PromptReferenceDto;

  @ApiPropertyOptional({ description: 'Stream the answer as SSE chunks ending with [DONE]' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ example: { include_usage: true } })
  @IsOptional()
  @IsObject()
  stream_options?: { include_usage?: boolean };

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

  @ApiPropertyOptional({ description: 'Answer tokens, reasoning excluded', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @ApiPropertyOptional({ description: 'Answer and reasoning tokens', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_completion_tokens?: number;

  @ApiPropertyOptional({
    description: 'OpenAI tool definitions',
    type: 'array',
    items: { type: 'object' },
  })
  @IsOptional()
  @IsArray()
  tools?: Record<string, unknown>[];

  @ApiPropertyOptional({
    description: 'ModelArk deep thinking switch',
    example: { type: 'disabled' },
  })
  @IsOptional()
  @IsObject()
  thinking?: { type: 'enabled' | 'disabled' | 'auto' };

  @ApiPropertyOptional({ enum: ['minimal', 'low', 'medium', 'high'] })
  @IsOptional()
  @IsIn(['minimal', 'low', 'medium', 'high'])
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';

  [vendorField: string]: unknown;
}
