import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { ModelParametersDto } from './model-parameters.dto';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/** The model parameters of a chat completion, shared by the OpenAI route and the app route. */
export abstract class ChatParametersDto extends ModelParametersDto {
  @ApiPropertyOptional({ description: 'Answer tokens, reasoning excluded', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @ApiPropertyOptional({ enum: REASONING_EFFORTS })
  @IsOptional()
  @IsIn(REASONING_EFFORTS)
  reasoning_effort?: (typeof REASONING_EFFORTS)[number];
}
