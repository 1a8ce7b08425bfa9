import { FactoryProvider, Logger } from '@nestjs/common';
import { format } from 'node:util';
import type { ConfigType } from '@nestjs/config';
import OpenAI from 'openai';
import { arkConfig } from '../config/ark.config';
import { RequestTimingContext } from '../metrics/request-timing.context';
import { Tracer } from '../tracing/tracer';
import { ARK_CLIENT } from './llm.constants';
import { UpstreamHttpAgent } from './upstream-http.agent';

/** Set by the SDK on every attempt: 0 for the first. */
const RETRY_COUNT_HEADER = 'x-stainless-retry-count';

/**
 * Records each retry the SDK makes, and each failed attempt, as events on the current LLM span,
 * and the time each attempt waited for ModelArk's response headers in the request's timing.
 */
function observedFetch(
  send: typeof fetch,
  tracer: Tracer,
  timings: RequestTimingContext | null,
): typeof fetch {
  return async (input, init) => {
    const span = tracer.currentSpan();
    const headers = init?.headers;
    const retryHeader =
      headers instanceof Headers
        ? headers.get(RETRY_COUNT_HEADER)
        : new Headers(headers).get(RETRY_COUNT_HEADER);
    const retry = Number(retryHeader ?? 0);
    if (span && retry > 0) span.addEvent('retry', { 'arkgate.retry.attempt': retry + 1 });
    const timing = timings?.current();
    const started = performance.now();
    let response: Response;
    try {
      response = await send(input, init);
    } finally {
      timing?.addUpstream(performance.now() - started);
    }
    if (span && !response.ok) {
      span.addEvent('upstream_response_error', {
        'http.response.status_code': response.status,
        'arkgate.retry_after': response.headers.get('retry-after') ?? '',
      });
    }
    return response;
  };
}

/** The SDK's own warnings (e.g. an unparsable stream chunk) go through arkgate's logger and level. */
function sdkLogger() {
  const logger = new Logger('OpenAI SDK');
  const line = (message: string, rest: unknown[]) => format(message, ...rest);
  return {
    error: (message: string, ...rest: unknown[]) => logger.error(line(message, rest)),
    warn: (message: string, ...rest: unknown[]) => logger.warn(line(message, rest)),
    info: (message: string, ...rest: unknown[]) => logger.log(line(message, rest)),
    debug: (message: string, ...rest: unknown[]) => logger.debug(line(message, rest)),
  };
}

/** One OpenAI SDK client per process, pointed at ModelArk; `null` when ARK_API_KEY is not set. */
export const arkClientProvider: FactoryProvider<OpenAI | null> = {
  provide: ARK_CLIENT,
  inject: [
    arkConfig.KEY,
    Tracer,
    UpstreamHttpAgent,
    { token: RequestTimingContext, optional: true },
  ],
  useFactory: (
    config: ConfigType<typeof arkConfig>,
    tracer: Tracer,
    agent: UpstreamHttpAgent,
    timings: RequestTimingContext | null,
  ) =>
    config.apiKey
      ? new OpenAI({
          apiKey: config.apiKey,
          baseURL: config.baseUrl,
          timeout: config.timeoutMs,
          maxRetries: config.maxRetries,
          fetch: observedFetch(agent.fetch, tracer, timings ?? null),
          logger: sdkLogger(),
          logLevel: 'warn',
        })
      : null,
};
