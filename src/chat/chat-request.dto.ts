import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ChatMessageDto } from '../openai-compat/chat-message.dto';
import { ChatParametersDto } from '../openai-compat/chat-parameters.dto';
import { PromptReferenceDto } from '../prompts/prompt-reference.dto';

/**
 * The app-level chat request: `messages`, `input` or `prompt` (`input` is appended as the last
 * user message). Fields not listed here are forwarded to ModelArk as they are.
 */
export class ChatRequestDto extends ChatParametersDto {
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
}
