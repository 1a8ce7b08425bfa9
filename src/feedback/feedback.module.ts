import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { feedbackConfig } from '../config/feedback.config';
import { mlflowConfig } from '../config/mlflow.config';
import { createRedisConnection } from '../jobs/redis-connection.factory';
import { MlflowAssessmentsClient } from '../mlflow/mlflow-assessments.client';
import { createMlflowClient } from '../mlflow/mlflow-client.factory';
import { BullmqFeedbackQueue } from './bullmq-feedback.queue';
import { FEEDBACK_QUEUE } from './feedback.constants';
import type { FeedbackQueue } from './feedback.queue';
import { FeedbackAssessmentWriter } from './feedback-assessment.writer';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { InProcessFeedbackQueue } from './in-process-feedback.queue';

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
        config.redisUrl
          ? new BullmqFeedbackQueue(createRedisConnection(config.redisUrl, 'producer'), config)
          : new InProcessFeedbackQueue((job) => writer.write(job), {
              ...config,
              capacity: config.bufferSize,
            }),
    },
    FeedbackService,
  ],
  exports: [FeedbackService],
})
export class FeedbackModule {}
