import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';

/** The error a stream ends with when ModelArk went quiet for STREAM_IDLE_TIMEOUT_MS. */
export function streamIdleTimeoutError(timeoutMs: number): GatewayError {
  return new GatewayError(
    `BytePlus ModelArk sent nothing for ${timeoutMs} ms during the stream (STREAM_IDLE_TIMEOUT_MS).`,
    { status: 504, code: GatewayErrorCode.UpstreamTimeout, type: 'timeout_error' },
  );
}
