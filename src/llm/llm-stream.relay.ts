import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { SseBody } from '../common/sse/sse-body';
import { relaySse, type SseFraming } from '../common/sse/sse.relay';
import { appConfig } from '../config/app.config';
import { arkConfig } from '../config/ark.config';
import { streamIdleTimeoutError } from './stream-idle.error';
import type { TracedStream } from './traced-stream.model';

/**
 * Relays a model's stream to the client with the configured keep-alive (SSE_KEEPALIVE_MS) and
 * idle timeout (STREAM_IDLE_TIMEOUT_MS). The body's outcome carries `outputs(stream.aggregate)`
 * to whoever records the request.
 */
@Injectable()
export class LlmStreamRelay {
  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(arkConfig.KEY) private readonly ark: ConfigType<typeof arkConfig>,
  ) {}

  relay<T, A>(
    stream: TracedStream<T, A>,
    options: {
      framing: SseFraming<T>;
      signal?: AbortSignal;
      /** The root span's outputs from the aggregate; the aggregate itself by default. */
      outputs?: (aggregate: A) => unknown;
    },
  ): SseBody {
    const outputs = options.outputs ?? ((aggregate: A) => aggregate);
    return relaySse(stream, {
      framing: options.framing,
      signal: options.signal,
      outputs: () => outputs(stream.aggregate),
      keepAliveMs: this.app.sseKeepAliveMs,
      idleTimeoutMs: this.ark.streamIdleTimeoutMs,
      idleError: streamIdleTimeoutError,
    });
  }
}
