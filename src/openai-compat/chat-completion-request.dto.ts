import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PromptReferenceDto } from '../prompts/prompt-reference.dto';
import { ChatMessageDto } from './chat-message.dto';
import { ChatParametersDto } from './chat-parameters.dto';

/**
 * OpenAI's chat completion request. Only the fields arkgate needs are validated; every field,
 * including ones not listed here (vendor fields), is forwarded to ModelArk.
 */
export class ChatCompletionRequestDto extends ChatParametersDto {
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

  @ApiPropertyOptional({ description: 'Answer and reasoning tokens', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_completion_tokens?: number;
}
