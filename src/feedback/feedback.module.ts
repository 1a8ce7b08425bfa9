import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { exportConfig } from '../config/export.config';
import { feedbackConfig } from '../config/feedback.config';
import { mlflowConfig } from '../config/mlflow.config';
import { createRedisConnection } from '../jobs/redis-connection.factory';
import { MlflowAssessmentsClient } from '../mlflow/mlflow-assessments.client';
import { createMlflowClient } from '../mlflow/mlflow-client.factory';
import { TraceExportService } from '../queue/trace-export.service';
import { Tracer } from '../tracing/tracer';
import { BullmqFeedbackQueue } from './bullmq-feedback.queue';
import { FEEDBACK_QUEUE } from './feedback.constants';
import type { FeedbackQueue } from './feedback.queue';
import { FeedbackAssessmentWriter } from './feedback-assessment.writer';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { FeedbackTraceLookup } from './feedback-trace.lookup';
import { InProcessFeedbackQueue } from './in-process-feedback.queue';

/** How long a feedback request waits for MLflow to say whether it has the trace. */
const TRACE_LOOKUP_TIMEOUT_MS = 2_000;
/** Beyond the hand-off wait: another replica's Redis round trip for the batch. */
const HANDOFF_MARGIN_MS = 100;

/** Feedback on traces: the route, the queue, and the worker that writes MLflow assessments. */
@Module({
  controllers: [FeedbackController],
  providers: [
    {
      provide: FeedbackAssessmentWriter,
      inject: [mlflowConfig.KEY, feedbackConfig.KEY],
      useFactory: (
        mlflow: ConfigType<typeof mlflowConfig>,
        feedback: ConfigType<typeof feedbackConfig>,
      ) =>
        new FeedbackAssessmentWriter(
          new MlflowAssessmentsClient(createMlflowClient(mlflow)),
          feedback.traceWaitMs,
        ),
    },
    {
      provide: FEEDBACK_QUEUE,
      inject: [feedbackConfig.KEY, FeedbackAssessmentWriter],
      useFactory: (
        config: ConfigType<typeof feedbackConfig>,
        writer: FeedbackAssessmentWriter,
      ): FeedbackQueue =>
        config.redis
          ? new BullmqFeedbackQueue(createRedisConnection(config.redis, 'producer'), {
              ...config,
              prefix: config.redis.queuePrefix,
              waitReplicas: config.redis.waitReplicas,
              waitTimeoutMs: config.redis.waitTimeoutMs,
            })
          : new InProcessFeedbackQueue((job) => writer.write(job), {
              ...config,
              capacity: config.bufferSize,
            }),
    },
    {
      provide: FeedbackTraceLookup,
      // No Tracer in the worker process, which takes no feedback requests.
      inject: [
        mlflowConfig.KEY,
        exportConfig.KEY,
        TraceExportService,
        { token: Tracer, optional: true },
      ],
      useFactory: (
        mlflow: ConfigType<typeof mlflowConfig>,
        exportSettings: ConfigType<typeof exportConfig>,
        exports: TraceExportService,
        tracer: Tracer | undefined,
      ) =>
        new FeedbackTraceLookup({
          openedHere: (traceId) => tracer?.opened(traceId) ?? false,
          queued: (traceId) => exports.queued(traceId),
          assessments: new MlflowAssessmentsClient(
            createMlflowClient(mlflow, Math.min(mlflow.timeoutMs, TRACE_LOOKUP_TIMEOUT_MS)),
          ),
          // Without Redis there is no other replica whose hand-off to wait out.
          queueSettleMs: exportSettings.redis
            ? exportSettings.handoffWaitMs + HANDOFF_MARGIN_MS
            : 0,
        }),
    },
    FeedbackService,
  ],
  exports: [FeedbackService],
})
export class FeedbackModule {}
