/**
 * Exponential backoff with full jitter, capped: attempt 1 waits up to `baseMs`, and the wait
 * doubles until `maxMs`. With the defaults (1 s, 5 min, 60 attempts) a trace keeps trying for
 * about four hours.
 */
export function exportBackoffMs(attemptsMade: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** True when an error says the export can never succeed (a 4xx MLflow will not change its mind on). */
export function isPermanentExportError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === false
  );
}
