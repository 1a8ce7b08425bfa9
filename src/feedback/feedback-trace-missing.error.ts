/** The trace a feedback job is about is not in MLflow (yet, while `retryable`). */
export class FeedbackTraceMissingError extends Error {
  readonly retryable: boolean;
  /** Time left to wait for the trace; 0 once the job gives up. */
  readonly remainingWaitMs: number;

  constructor(traceId: string, waitedMs: number, remainingWaitMs: number) {
    const waited = Math.round(waitedMs / 1000);
    super(
      remainingWaitMs > 0
        ? `Trace ${traceId} is not in MLflow yet (waited ${waited} s); it may still be exporting`
        : `Trace ${traceId} was not found in MLflow after waiting ${waited} s: the trace id is ` +
            'unknown, or its export failed',
    );
    this.name = 'FeedbackTraceMissingError';
    this.retryable = remainingWaitMs > 0;
    this.remainingWaitMs = remainingWaitMs;
  }
}
