/** An export that cannot succeed against this server however often it is retried. */
export class MlflowExportError extends Error {
  readonly retryable = false;

  constructor(
    readonly traceId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot export trace ${traceId} to MLflow: ${message}`, options);
    this.name = 'MlflowExportError';
  }
}
