import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';

/** The error a stream ends with when ModelArk went quiet for STREAM_IDLE_TIMEOUT_MS. */
export function streamIdleTimeoutError(timeoutMs: number): GatewayError {
  return new GatewayError(
    `BytePlus ModelArk sent nothing for ${timeoutMs} ms during the stream (STREAM_IDLE_TIMEOUT_MS).`,
    { status: 504, code: GatewayErrorCode.UpstreamTimeout, type: 'timeout_error' },
  );
}

/**
 * Passes items on; when `source` yields nothing for `timeoutMs`, calls `abort` (which cancels the
 * upstream request) and throws {@link streamIdleTimeoutError}.
 */
export async function* withIdleTimeout<T>(
  source: AsyncIterable<T>,
  timeoutMs: number,
  abort: () => void,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  try {
    while (true) {
      const idle = new Promise<'idle'>((resolve) => {
        timer = setTimeout(() => resolve('idle'), timeoutMs);
      });
      const next = await Promise.race([iterator.next(), idle]);
      clearTimeout(timer);
      if (next === 'idle') {
        abort();
        // The pending next() settles once the abort reaches it; nobody waits for it.
        iterator.return?.().catch(() => undefined);
        finished = true;
        throw streamIdleTimeoutError(timeoutMs);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    if (!finished) await iterator.return?.();
  }
}
