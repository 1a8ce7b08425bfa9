import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator';
import { requestIdentity } from '../tracing/request-identity';
import { SkipTracing } from '../tracing/skip-tracing.decorator';
import { FeedbackAcceptedDto } from './feedback-accepted.model';
import { FeedbackRequestDto } from './feedback-request.dto';
import { FeedbackService } from './feedback.service';
import { TraceIdParamsDto } from './trace-id.params.dto';

@ApiTags('Feedback')
@SkipTracing()
@Controller('v1/traces')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post(':traceId/feedback')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Feedback on a traced answer, recorded in MLflow as an assessment',
    description:
      'Queued, then written to the trace in MLflow as a HUMAN assessment (source id = the user). ' +
      'Feedback may arrive before the trace is exported: the job waits for it ' +
      '(FEEDBACK_TRACE_WAIT_SECONDS), then fails with the reason if the trace never appears. ' +
      'With an idempotency key, a retried submission lands once. A trace id that neither ' +
      'arkgate (this process or the export queue) nor MLflow knows is answered 404.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same as `idempotencyKey` in the body',
  })
  @ApiAcceptedResponse({
    type: FeedbackAcceptedDto,
    example: {
      status: 'queued',
      traceId: 'tr-4bf92f3577b34da6a3ce929d0e0e4736',
      name: 'user_feedback',
      jobId: 'fb-tr-4bf92f3577b34da6a3ce929d0e0e4736-3f1c0a9b2e7d4c5a8b6e1f0d2c3b4a59',
      idempotencyKey: 'fb-7c2d1e',
    },
  })
  @ApiErrorResponses(400)
  @ApiResponse({
    status: 404,
    description: 'No such trace: arkgate is not exporting it and MLflow does not have it',
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/OpenAiErrorDto' },
        example: {
          error: {
            message:
              'Trace tr-4bf92f3577b34da6a3ce929d0e0e4736 is unknown: arkgate is not exporting ' +
              'it and MLflow does not have it',
            type: 'not_found_error',
            param: 'traceId',
            code: 'trace_not_found',
          },
        },
      },
    },
  })
  @ApiResponse({
    status: 503,
    description: 'The queue (Redis) is unavailable; retry with the same idempotency key',
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/OpenAiErrorDto' },
        example: {
          error: {
            message: 'Feedback cannot be queued right now; retry with the same key',
            type: 'service_unavailable_error',
            param: null,
            code: 'feedback_queue_unavailable',
          },
        },
      },
    },
  })
  submit(
    @Param() params: TraceIdParamsDto,
    @Body() body: FeedbackRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    return this.feedback.submit({
      traceId: params.traceId,
      body,
      idempotencyKey: idempotencyKey?.trim() || undefined,
      userId: requestIdentity(request).userId,
    });
  }
}
