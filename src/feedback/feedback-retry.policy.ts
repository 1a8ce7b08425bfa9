import { jitteredBackoffMs } from '../jobs/job-retry.policy';
import type { FeedbackJob } from './feedback-job.model';
import { FeedbackTraceMissingError } from './feedback-trace-missing.error';

export interface FeedbackRetryOptions {
  retryBaseMs: number;
  retryMaxDelayMs: number;
}

/**
 * The export queue's backoff; while waiting for a trace, never past the end of the wait, so a
 * job for an unknown trace fails at the deadline rather than one long backoff later.
 */
export function feedbackBackoffMs(
  attemptsMade: number,
  error: unknown,
  _job: FeedbackJob | undefined,
  options: FeedbackRetryOptions,
): number {
  const delay = jitteredBackoffMs(attemptsMade, options.retryBaseMs, options.retryMaxDelayMs);
  if (error instanceof FeedbackTraceMissingError && error.remainingWaitMs > 0) {
    return Math.min(delay, error.remainingWaitMs);
  }
  return delay;
}
