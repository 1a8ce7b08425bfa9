/** One piece of feedback waiting to become an MLflow assessment; JSON-safe for the queue. */
export interface FeedbackJob {
  traceId: string;
  name: string;
  value: boolean | number | string;
  rationale?: string;
  /** The user who gave it (assessment source id, source type HUMAN). */
  sourceId: string;
  spanId?: string;
  /** Stored as `metadata.idempotency_key`; an assessment with it already there is not created again. */
  idempotencyKey: string;
  /** Milliseconds since the epoch; how long the job may wait for its trace counts from here. */
  submittedAt: number;
}

/** What a feedback job ends with. */
export interface FeedbackResult {
  assessmentId: string;
  /** True when the trace already had the assessment (a retried submission). */
  duplicate: boolean;
}
