import { MlflowErrorCode } from './mlflow.constants';

export interface MlflowRequestErrorInit {
  method: string;
  path: string;
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  status?: number;
  /** MLflow `error_code`, or NETWORK_ERROR / TIMEOUT / `HTTP_<status>` when the body had none. */
  errorCode: string;
  message: string;
  cause?: unknown;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
// DB contention surfaces under several codes (400 from a wrapped SQLAlchemy error, 422 from
// /v1/traces when the store raised); the text is the only signal that a retry will help.
const TRANSIENT_MESSAGE =
  /deadlock|database is locked|could not serialize|lock wait timeout|failed to log opentelemetry spans/i;

/** A failed call to the MLflow tracking server, classified for the export queue's retry policy. */
export class MlflowRequestError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errorCode: string;
  /** True when the same call may succeed later (network, 429, 5xx other than 501, DB contention). */
  readonly retryable: boolean;

  constructor(init: MlflowRequestErrorInit) {
    const where = `${init.method} ${init.path}`;
    const status = init.status === undefined ? '' : ` ${init.status}`;
    super(`MLflow ${where} failed${status} ${init.errorCode}: ${init.message}`, {
      cause: init.cause,
    });
    this.name = 'MlflowRequestError';
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.retryable = MlflowRequestError.isRetryable(init);
  }

  /** True when the message says the store was contended (locked, deadlocked), not the input bad. */
  get contention(): boolean {
    return TRANSIENT_MESSAGE.test(this.message);
  }

  private static isRetryable(init: MlflowRequestErrorInit): boolean {
    if (init.status === undefined) return true;
    if (RETRYABLE_STATUSES.has(init.status)) return true;
    if (init.errorCode === MlflowErrorCode.temporarilyUnavailable) return true;
    return TRANSIENT_MESSAGE.test(init.message);
  }
}
