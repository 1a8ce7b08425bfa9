import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';

/**
 * What every model request (chat, Responses) may say about the model and its sampling. Only these
 * are validated; every field, including ones not listed (vendor fields), is forwarded to ModelArk.
 */
export abstract class ModelParametersDto {
  @ApiPropertyOptional({
    description: 'ModelArk model id or endpoint id (ep-...); defaults to ARK_DEFAULT_MODEL',
    example: 'seed-1-6-250615',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model?: string;

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

  @ApiPropertyOptional({
    description: 'Function tools and built-in tools, as the API defines them',
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

  [vendorField: string]: unknown;
}
