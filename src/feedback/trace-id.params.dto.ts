import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export const TRACE_ID_PATTERN = /^tr-[0-9a-f]{32}$/;

/** Path parameters naming an MLflow trace. */
export class TraceIdParamsDto {
  @ApiProperty({
    example: 'tr-4bf92f3577b34da6a3ce929d0e0e4736',
    description: 'MLflow trace id, from the x-mlflow-trace-id header or `traceId` of an answer',
  })
  @Matches(TRACE_ID_PATTERN, {
    message: 'traceId must be "tr-" followed by 32 lowercase hex digits',
  })
  traceId: string;
}
