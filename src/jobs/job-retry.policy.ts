/**
 * Exponential backoff with full jitter, capped: attempt 1 waits up to `baseMs`, and the wait
 * doubles until `maxMs`. With the export defaults (1 s, 5 min, 60 attempts) a job keeps trying for
 * about four hours.
 */
export function jitteredBackoffMs(attemptsMade: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** True when an error says the job can never succeed (`retryable: false`, e.g. a 4xx MLflow will not change its mind on). */
export function isPermanentFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === false
  );
}
