import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One prompt of the registry, as the prompt list shows it. */
export class PromptSummaryDto {
  @ApiProperty({ example: 'support-agent' })
  name: string;

  @ApiPropertyOptional({ example: '3', description: 'Absent while the prompt has no version' })
  latestVersion?: string;

  @ApiProperty({
    description: 'Alias → version',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { production: '2' },
  })
  aliases: Record<string, string>;

  @ApiPropertyOptional({ example: 'System prompt of the support agent' })
  description?: string;

  @ApiPropertyOptional({ example: 'Shorter answers', description: 'Of the latest version' })
  commitMessage?: string;

  @ApiPropertyOptional({ example: '2026-11-24T11:15:00.000Z' })
  updatedAt?: string;
}
