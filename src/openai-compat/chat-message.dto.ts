import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsIn, IsOptional, IsString, ValidateIf } from 'class-validator';
import { IsChatContent } from './is-chat-content.validator';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

/** One message of a conversation, in OpenAI's shape; extra fields are forwarded as they are. */
export class ChatMessageDto {
  @ApiProperty({ enum: CHAT_ROLES, example: 'user' })
  @IsIn(CHAT_ROLES)
  role: (typeof CHAT_ROLES)[number];

  @ApiProperty({
    description:
      'Text, or an array of content parts (text, image_url); null on assistant tool calls',
    example: 'What is the capital of France?',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
    nullable: true,
  })
  @ValidateIf((message: ChatMessageDto) => message.role !== 'assistant' || message.content != null)
  @IsChatContent()
  content: string | Record<string, unknown>[] | null;

  @IsOptional()
  @IsString()
  name?: string;

  /** Tool calls the assistant made (assistant messages). */
  @IsOptional()
  @IsArray()
  tool_calls?: Record<string, unknown>[];

  /** Which tool call this message answers (tool messages). */
  @ValidateIf((message: ChatMessageDto) => message.role === 'tool')
  @IsString()
  tool_call_id?: string;
}
