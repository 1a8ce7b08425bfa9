import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError, OpenAiErrorType } from '../common/errors/gateway.error';

interface UpstreamErrorBody {
  message?: string;
  code?: string | null;
  param?: string | null;
  type?: string | null;
}

function upstreamBody(error: APIError): UpstreamErrorBody {
  const body = error.error;
  return typeof body === 'object' && body !== null ? body : {};
}

function passThroughType(status: number): OpenAiErrorType {
  if (status === 404) return 'not_found_error';
  return 'invalid_request_error';
}

/**
 * Maps an error from the OpenAI SDK to arkgate's answer, by class: the caller's mistakes pass
 * through with BytePlus's message; our configuration and BytePlus's failures become 502/504.
 * Every one says `x-should-retry: false`: the client inside arkgate has already retried what was
 * worth retrying (ARK_MAX_RETRIES), so a caller's SDK must not multiply the attempts.
 */
export function mapUpstreamError(error: unknown): unknown {
  if (error instanceof GatewayError || error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new GatewayError('BytePlus ModelArk did not answer within ARK_TIMEOUT_MS.', {
      status: 504,
      code: GatewayErrorCode.UpstreamTimeout,
      type: 'timeout_error',
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new GatewayError(`Could not reach BytePlus ModelArk: ${error.message}`, {
      status: 502,
      code: GatewayErrorCode.UpstreamUnavailable,
      type: 'server_error',
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return new GatewayError(
      `BytePlus ModelArk rejected arkgate's credentials (${error.status}); check ARK_API_KEY and that it belongs to the region of ARK_BASE_URL.`,
      {
        status: 502,
        code: GatewayErrorCode.UpstreamAuthFailed,
        type: 'server_error',
        retryable: false,
        cause: error,
      },
    );
  }
  if (error instanceof RateLimitError) {
    const body = upstreamBody(error);
    return new GatewayError(body.message ?? 'BytePlus ModelArk rate limit exceeded.', {
      status: 429,
      code: body.code ?? GatewayErrorCode.UpstreamRateLimited,
      type: 'rate_limit_error',
      retryAfter: error.headers?.get('retry-after') ?? undefined,
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof InternalServerError) {
    return new GatewayError(`BytePlus ModelArk failed (${error.status}): ${error.message}`, {
      status: 502,
      code: GatewayErrorCode.UpstreamUnavailable,
      type: 'server_error',
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number' && error.status < 500) {
    const body = upstreamBody(error);
    return new GatewayError(body.message ?? error.message, {
      status: error.status,
      code: body.code ?? GatewayErrorCode.InvalidRequest,
      type: passThroughType(error.status),
      param: body.param ?? null,
      retryable: false,
      cause: error,
    });
  }
  // Anything else (an error event inside a stream, a cut connection, unparsable data) is a
  // broken answer from upstream, not a fault of the caller.
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError(`BytePlus ModelArk sent a broken answer: ${message}`, {
    status: 502,
    code: GatewayErrorCode.UpstreamBadResponse,
    type: 'server_error',
    retryable: false,
    cause: error,
  });
}
