import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { IsEmbeddingInput } from './is-embedding-input.validator';

/**
 * OpenAI's embeddings request. Text goes to ModelArk's `/embeddings` as it is; content parts,
 * or any input for a multimodal model (id containing `embedding-vision`), go to
 * `/embeddings/multimodal`, one call per item. Unlisted fields are forwarded.
 */
export class EmbeddingsRequestDto {
  @ApiProperty({
    description: 'ModelArk embedding model id or endpoint id (ep-...)',
    example: 'seed-embedding-text-250615',
  })
  @IsString()
  @IsNotEmpty()
  model: string;

  @ApiProperty({
    description:
      'Text, texts, a token array or token arrays (OpenAI). For multimodal models each item may ' +
      'also be a content part (`{type: "text", text}`, `{type: "image_url", image_url: {url}}`) ' +
      'or an array of parts embedded together; each item is one embedding.',
    example: ['The food was delicious.', 'The service was slow.'],
    oneOf: [
      { type: 'string' },
      {
        type: 'array',
        items: { oneOf: [{ type: 'string' }, { type: 'object' }, { type: 'array' }] },
      },
    ],
  })
  @IsEmbeddingInput()
  input: unknown;

  @ApiPropertyOptional({ enum: ['float', 'base64'], description: 'Defaults to float' })
  @IsOptional()
  @IsIn(['float', 'base64'])
  encoding_format?: 'float' | 'base64';

  @ApiPropertyOptional({ minimum: 1, example: 1024 })
  @IsOptional()
  @IsInt()
  @Min(1)
  dimensions?: number;

  @ApiPropertyOptional({ description: 'End-user id, forwarded' })
  @IsOptional()
  @IsString()
  user?: string;

  [vendorField: string]: unknown;
}
