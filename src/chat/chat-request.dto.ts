import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ChatMessageDto } from '../openai-compat/chat-message.dto';
import { PromptReferenceDto } from '../prompts/prompt-reference.dto';

/**
 * The app-level chat request: `messages`, `input` or `prompt` (`input` is appended as the last
 * user message). Fields not listed here are forwarded to ModelArk as they are.
 */
export class ChatRequestDto {
  @ApiPropertyOptional({
    type: [ChatMessageDto],
    description: 'The conversation so far (required unless `input` or `prompt` is given)',
  })
  @ValidateIf(
    (request: ChatRequestDto) =>
      (request.input === undefined && request.prompt === undefined) ||
      request.messages !== undefined,
  )
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ChatMessageDto)
  messages?: ChatMessageDto[];

  @ApiPropertyOptional({
    description: 'A user message (required unless `messages` or `prompt` is given)',
    example: 'Write a haiku about the sea.',
  })
  @ValidateIf(
    (request: ChatRequestDto) =>
      (request.messages === undefined && request.prompt === undefined) ||
      request.input !== undefined,
  )
  @IsString()
  @IsNotEmpty()
  input?: string;

  @ApiPropertyOptional({
    type: PromptReferenceDto,
    description:
      "A prompt from MLflow's prompt registry, rendered with `variables`: a text prompt becomes " +
      'the system message (the user message when there is no `messages`/`input`), a chat ' +
      "prompt's messages come first. Its model config is a default. Not sent to ModelArk.",
    example: { uri: 'prompts:/support-agent@production', variables: { question: 'Hi?' } },
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PromptReferenceDto)
  prompt?: PromptReferenceDto;

  @ApiPropertyOptional({ example: 'seed-1-6-250615', description: 'Defaults to ARK_DEFAULT_MODEL' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model?: string;

  @ApiPropertyOptional({ description: 'Conversation id for the trace (or header X-Session-Id)' })
  @IsOptional()
  @IsString()
  @MaxLength(250)
  sessionId?: string;

  @ApiPropertyOptional({ description: 'End user id for the trace (or header X-User-Id)' })
  @IsOptional()
  @IsString()
  @MaxLength(250)
  userId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 2 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @ApiPropertyOptional({ enum: ['minimal', 'low', 'medium', 'high'] })
  @IsOptional()
  @IsIn(['minimal', 'low', 'medium', 'high'])
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';

  @ApiPropertyOptional({ example: { type: 'enabled' } })
  @IsOptional()
  @IsObject()
  thinking?: { type: 'enabled' | 'disabled' | 'auto' };

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray()
  tools?: Record<string, unknown>[];

  [vendorField: string]: unknown;
}
