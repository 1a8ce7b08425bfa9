import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The 202 answer: the feedback is queued and will reach MLflow as an assessment. */
export class FeedbackAcceptedDto {
  @ApiProperty({ example: 'queued' })
  status: 'queued';

  @ApiProperty({ example: 'tr-4bf92f3577b34da6a3ce929d0e0e4736' })
  traceId: string;

  @ApiProperty({ example: 'user_feedback' })
  name: string;

  @ApiProperty({
    example: 'fb-tr-4bf92f3577b34da6a3ce929d0e0e4736-3f1c0a9b2e7d4c5a8b6e1f0d2c3b4a59',
    description: 'Queue job id; the same for every submission with the same idempotency key',
  })
  jobId: string;

  @ApiPropertyOptional({
    example: 'fb-7c2d1e',
    description: 'The key to send again when retrying (generated when none was given)',
  })
  idempotencyKey: string;
}
