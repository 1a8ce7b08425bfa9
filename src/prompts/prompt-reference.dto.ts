import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString } from 'class-validator';

/**
 * A prompt from MLflow's prompt registry, by URI or by name with a version or an alias (only a
 * name: the latest version). arkgate's own field: never forwarded to ModelArk.
 */
export class PromptReferenceDto {
  @ApiPropertyOptional({
    description: '`prompts:/<name>/<version>` or `prompts:/<name>@<alias>`',
    example: 'prompts:/support-agent@production',
  })
  @IsOptional()
  @IsString()
  uri?: string;

  @ApiPropertyOptional({ description: 'Prompt name (instead of `uri`)', example: 'support-agent' })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({
    description: 'Version number, with `name`',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    example: 3,
  })
  @IsOptional()
  version?: number | string;

  @ApiPropertyOptional({
    description: 'Alias, with `name`; `latest` is the newest version',
    example: 'production',
  })
  @IsOptional()
  @IsString()
  alias?: string;

  @ApiPropertyOptional({
    description:
      'Values of the `{{variables}}` in the template. Strings are inserted as they are, other ' +
      'values as JSON; `{{a.b}}` reads key "a.b", or else field b of object a.',
    type: 'object',
    additionalProperties: true,
    example: { product: 'arkgate', question: 'How do I rotate my API key?' },
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}
