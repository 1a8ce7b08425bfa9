import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What a prompt version expects, for the developer about to call it. */
export class PromptDescriptionDto {
  @ApiProperty({ example: 'support-agent' })
  name: string;

  @ApiProperty({ example: '3' })
  version: string;

  @ApiProperty({ example: 'prompts:/support-agent/3', description: 'Pins this exact version' })
  uri: string;

  @ApiProperty({ enum: ['text', 'chat'], example: 'chat' })
  type: 'text' | 'chat';

  @ApiProperty({
    description: 'The text (text prompt) or the messages (chat prompt), placeholders unrendered',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
    example: [
      { role: 'system', content: 'You are the support agent of {{product}}.' },
      { role: 'user', content: '{{question}}' },
    ],
  })
  template: string | Record<string, unknown>[];

  @ApiProperty({
    type: [String],
    example: ['product', 'question'],
    description: 'Names to give in `prompt.variables`',
  })
  variables: string[];

  @ApiPropertyOptional({
    description:
      'Request defaults from `_mlflow_prompt_model_config`; the request may override them',
    example: { model_name: 'seed-1-6-250615', temperature: 0.2, max_tokens: 512 },
  })
  modelConfig?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Response format (JSON schema) registered with the prompt' })
  responseFormat?: unknown;

  @ApiPropertyOptional({
    type: [String],
    example: ['production'],
    description: 'Aliases on this version',
  })
  aliases?: string[];

  @ApiPropertyOptional({ example: 'Shorter answers' })
  commitMessage?: string;
}
