import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import type { FailureKind } from './routes-file.schema';

/**
 * What kind of target failure an upstream error (as mapped for the caller, the SDK's error as its
 * cause) is, for fallback and the breaker; undefined for what the request itself got wrong (400,
 * 404, 422), which another target would refuse too, and for a caller that went away.
 */
export function failureKind(error: unknown): FailureKind | undefined {
  const cause = error instanceof GatewayError ? error.cause : error;
  if (cause instanceof APIConnectionTimeoutError) return 'timeout';
  if (cause instanceof APIConnectionError) return 'connection';
  if (cause instanceof RateLimitError) return 'rate_limit';
  if (cause instanceof AuthenticationError || cause instanceof PermissionDeniedError) return 'auth';
  if (cause instanceof InternalServerError) return 'server_error';
  if (error instanceof GatewayError) {
    // The stream's idle timeout, and answers ModelArk broke (before the first chunk).
    const code = error.code as GatewayErrorCode;
    if (code === GatewayErrorCode.UpstreamTimeout) return 'timeout';
    if (code === GatewayErrorCode.UpstreamBadResponse) return 'server_error';
  }
  return undefined;
}
