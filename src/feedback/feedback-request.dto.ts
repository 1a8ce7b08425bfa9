import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsFeedbackValue } from './is-feedback-value.validator';

/** Feedback on one trace (or one span of it), from the user who read the answer. */
export class FeedbackRequestDto {
  @ApiPropertyOptional({
    description: 'Assessment name; defaults to `user_feedback`. No dots (MLflow rule).',
    example: 'thumbs_up',
    maxLength: 250,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(250)
  @Matches(/^[^.]*$/, { message: 'name must not contain "."' })
  name?: string;

  @ApiProperty({
    description: 'A boolean (thumbs), a number (score) or a string (label)',
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    example: true,
  })
  @IsFeedbackValue()
  value: boolean | number | string;

  @ApiPropertyOptional({ example: 'The answer solved my problem', maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  rationale?: string;

  @ApiPropertyOptional({
    description:
      'Who gives the feedback (assessment source); else header X-User-Id, else "anonymous"',
    example: 'user-42',
    maxLength: 250,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(250)
  userId?: string;

  @ApiPropertyOptional({
    description: 'The span the feedback is about (16 hex digits); the whole trace when absent',
    example: '00f067aa0ba902b7',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{16}$/, { message: 'spanId must be 16 lowercase hex digits' })
  spanId?: string;

  @ApiPropertyOptional({
    description:
      'Makes a retried submission land once (or header Idempotency-Key). Scoped to the trace.',
    example: 'fb-7c2d1e',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  idempotencyKey?: string;
}
