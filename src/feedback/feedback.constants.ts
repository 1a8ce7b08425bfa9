/** BullMQ queue carrying feedback to MLflow as assessments. */
export const FEEDBACK_QUEUE_NAME = 'arkgate-feedback';
export const FEEDBACK_JOB = 'create-assessment';

/** Injection token of the {@link FeedbackQueue} in use (BullMQ or in-process). */
export const FEEDBACK_QUEUE = Symbol('FEEDBACK_QUEUE');

/** Assessment name when the request gives none. */
export const DEFAULT_FEEDBACK_NAME = 'user_feedback';

/** Assessment source id when neither the body nor `X-User-Id` names the user. */
export const ANONYMOUS_USER = 'anonymous';

/** Assessment metadata key holding the idempotency key, checked before creating. */
export const IDEMPOTENCY_METADATA_KEY = 'idempotency_key';

export const FeedbackErrorCode = {
  queueUnavailable: 'feedback_queue_unavailable',
  idempotencyKeyMismatch: 'idempotency_key_mismatch',
  traceNotFound: 'trace_not_found',
} as const;
