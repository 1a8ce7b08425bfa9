import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import { GatewayError } from '../common/errors/gateway.error';
import { feedbackConfig } from '../config/feedback.config';
import { BullmqJobWorker } from '../jobs/bullmq-job.worker';
import { createRedisConnection } from '../jobs/redis-connection.factory';
import {
  ANONYMOUS_USER,
  DEFAULT_FEEDBACK_NAME,
  FEEDBACK_QUEUE,
  FEEDBACK_QUEUE_NAME,
  FeedbackErrorCode,
} from './feedback.constants';
import type { FeedbackQueue } from './feedback.queue';
import type { FeedbackAcceptedDto } from './feedback-accepted.model';
import { FeedbackAssessmentWriter } from './feedback-assessment.writer';
import type { FeedbackJob, FeedbackResult } from './feedback-job.model';
import type { FeedbackRequestDto } from './feedback-request.dto';
import { feedbackBackoffMs } from './feedback-retry.policy';
import { FeedbackTraceLookup } from './feedback-trace.lookup';

export interface FeedbackSubmission {
  traceId: string;
  body: FeedbackRequestDto;
  /** The `Idempotency-Key` header. */
  idempotencyKey?: string;
  /** The user named by the request's headers, when the body names none. */
  userId?: string;
}

/**
 * Queues feedback for MLflow and (unless WORKER_ENABLED=false) writes it from this process.
 * The job id derives from trace and idempotency key, so a retried submission is queued once.
 * A trace id that neither this process, the export queue nor MLflow knows is refused (404).
 */
@Injectable()
export class FeedbackService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FeedbackService.name);
  private worker?: BullmqJobWorker<FeedbackJob, FeedbackResult>;

  constructor(
    @Inject(feedbackConfig.KEY) private readonly config: ConfigType<typeof feedbackConfig>,
    @Inject(FEEDBACK_QUEUE) private readonly queue: FeedbackQueue,
    private readonly writer: FeedbackAssessmentWriter,
    private readonly traces: FeedbackTraceLookup,
  ) {}

  async submit(submission: FeedbackSubmission): Promise<FeedbackAcceptedDto> {
    const { traceId, body } = submission;
    const idempotencyKey = this.idempotencyKey(submission);
    if ((await this.traces.presence(traceId)) === 'unknown') {
      throw new GatewayError(
        `Trace ${traceId} is unknown: arkgate is not exporting it and MLflow does not have it`,
        {
          status: 404,
          code: FeedbackErrorCode.traceNotFound,
          type: 'not_found_error',
          param: 'traceId',
        },
      );
    }
    const job: FeedbackJob = {
      traceId,
      name: body.name ?? DEFAULT_FEEDBACK_NAME,
      value: body.value,
      sourceId: body.userId ?? submission.userId ?? ANONYMOUS_USER,
      idempotencyKey,
      submittedAt: Date.now(),
    };
    if (body.rationale) job.rationale = body.rationale;
    if (body.spanId) job.spanId = body.spanId;
    const jobId = `fb-${traceId}-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
    try {
      await this.queue.enqueue(jobId, job);
    } catch (error) {
      throw new GatewayError(`Feedback cannot be queued right now; retry with the same key`, {
        status: 503,
        code: FeedbackErrorCode.queueUnavailable,
        type: 'service_unavailable_error',
        retryAfter: '5',
        cause: error,
      });
    }
    return { status: 'queued', traceId, name: job.name, jobId, idempotencyKey };
  }

  onApplicationBootstrap(): void {
    if (this.queue.kind === 'in-process') return;
    if (this.config.workerEnabled) this.startWorker();
  }

  /** Starts writing queued feedback in this process (the worker entrypoint calls it). */
  startWorker(): void {
    if (this.worker || !this.config.redis) return;
    const retry = {
      retryBaseMs: this.config.retryBaseMs,
      retryMaxDelayMs: this.config.retryMaxDelayMs,
    };
    // A job that cannot succeed (unknown trace after the wait, a 4xx from MLflow) is kept as
    // failed with the reason, never retried and never a crash.
    this.worker = new BullmqJobWorker<FeedbackJob, FeedbackResult>(
      FEEDBACK_QUEUE_NAME,
      createRedisConnection(this.config.redis, 'worker'),
      (job) => this.writer.write(job),
      {
        name: 'Feedback',
        prefix: this.config.redis.queuePrefix,
        concurrency: 2,
        backoffMs: (attemptsMade, error, job) => feedbackBackoffMs(attemptsMade, error, job, retry),
      },
    );
    this.worker.onCompleted((job, result) => {
      if (result.duplicate) {
        this.logger.log(`Feedback ${job.id} was already on ${job.data.traceId}; not added again`);
      }
    });
    this.logger.log('Feedback worker started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  private idempotencyKey({ body, idempotencyKey }: FeedbackSubmission): string {
    if (idempotencyKey && body.idempotencyKey && idempotencyKey !== body.idempotencyKey) {
      throw new GatewayError(
        'The Idempotency-Key header and idempotencyKey in the body differ; send one of them',
        {
          status: 400,
          code: FeedbackErrorCode.idempotencyKeyMismatch,
          type: 'invalid_request_error',
          param: 'idempotencyKey',
        },
      );
    }
    return idempotencyKey ?? body.idempotencyKey ?? `arkgate-${randomUUID()}`;
  }
}
