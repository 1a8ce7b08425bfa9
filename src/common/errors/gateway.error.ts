import { GatewayErrorCode } from './gateway-error-code.enum';

/** OpenAI's error `type` values that SDK clients understand. */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'server_error'
  | 'service_unavailable_error'
  | 'timeout_error';

export interface GatewayErrorOptions {
  status: number;
  code: GatewayErrorCode | string;
  type: OpenAiErrorType;
  param?: string | null;
  /** Seconds, sent back as `retry-after`. */
  retryAfter?: string;
  /**
   * Sent as `x-should-retry`, which the official OpenAI SDKs obey over their own rules: false when
   * arkgate has already retried or a retry cannot help, so retries do not multiply.
   */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * The one error class services throw; the global filter turns it into an HTTP answer,
 * so no service imports HttpException.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: OpenAiErrorType;
  readonly param: string | null;
  readonly retryAfter?: string;
  readonly retryable?: boolean;

  constructor(message: string, options: GatewayErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status;
    this.code = options.code;
    this.type = options.type;
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
    this.retryable = options.retryable;
  }
}
