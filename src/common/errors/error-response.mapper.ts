import { HttpException, HttpStatus } from '@nestjs/common';
import { GatewayErrorCode } from './gateway-error-code.enum';
import { GatewayError, OpenAiErrorType } from './gateway.error';
import { OpenAiErrorBody } from './openai-error.model';

export interface ErrorResponse {
  status: number;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
}

const TYPE_BY_STATUS: Record<number, OpenAiErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  503: 'service_unavailable_error',
  504: 'timeout_error',
};

const CODE_BY_STATUS: Record<number, GatewayErrorCode> = {
  400: GatewayErrorCode.InvalidRequest,
  404: GatewayErrorCode.NotFound,
  413: GatewayErrorCode.PayloadTooLarge,
  415: GatewayErrorCode.UnsupportedMediaType,
};

/** Fastify's own errors (body parsing, content type, size) carry a status and an FST_ code. */
interface FrameworkError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFrameworkError(error: unknown): error is FrameworkError {
  return (
    error instanceof Error &&
    typeof (error as unknown as Partial<FrameworkError>).statusCode === 'number' &&
    (error as unknown as FrameworkError).statusCode >= 400 &&
    (error as unknown as FrameworkError).statusCode < 500
  );
}

function envelope(message: string, type: string, code: string | null, param: string | null) {
  return { error: { message, type, param, code } };
}

function typeFor(status: number): OpenAiErrorType {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  let message = exception.message;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const raw = response.message;
    message = Array.isArray(raw) ? raw.join('; ') : String(raw);
  }
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? GatewayErrorCode.Internal : null);
  return { status, body: envelope(message, typeFor(status), code, null), headers: {} };
}

function fromFrameworkError(error: FrameworkError): ErrorResponse {
  const status = error.statusCode;
  const invalidJson =
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError;
  const code = invalidJson
    ? GatewayErrorCode.InvalidJson
    : (CODE_BY_STATUS[status] ?? GatewayErrorCode.InvalidRequest);
  const message = invalidJson ? `Request body is not valid JSON: ${error.message}` : error.message;
  return { status, body: envelope(message, typeFor(status), code, null), headers: {} };
}

/** Maps anything thrown while serving a request to the status, body and headers to answer with. */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof GatewayError) {
    const headers: Record<string, string> = {};
    if (exception.retryAfter) headers['retry-after'] = exception.retryAfter;
    if (exception.retryable !== undefined) headers['x-should-retry'] = String(exception.retryable);
    return {
      status: exception.status,
      body: envelope(exception.message, exception.type, exception.code, exception.param),
      headers,
    };
  }
  if (exception instanceof HttpException) {
    // Nest wraps Fastify's body-parsing errors; their code says more than the wrapper.
    return isFrameworkError(exception.cause)
      ? fromFrameworkError(exception.cause)
      : fromHttpException(exception);
  }
  if (isFrameworkError(exception)) return fromFrameworkError(exception);
  // A fault in arkgate itself: the same request would meet it again.
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: envelope(
      'Internal error in arkgate; the trace id in the response headers identifies the request.',
      'server_error',
      GatewayErrorCode.Internal,
      null,
    ),
    headers: { 'x-should-retry': 'false' },
  };
}
