import { FactoryProvider, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { format } from 'node:util';
import type { ConfigType } from '@nestjs/config';
import OpenAI from 'openai';
import { arkConfig } from '../config/ark.config';
import { RequestLedgerContext } from '../metrics/request-ledger.context';
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
  timings: RequestLedgerContext | null,
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

export interface ArkClientOptions {
  baseUrl: string;
  apiKey: string;
  maxRetries: number;
}

/**
 * Makes the OpenAI SDK clients that call ModelArk, all alike: ARK_TIMEOUT_MS, the shared HTTP
 * agent, retries and failed attempts recorded on the current span, arkgate's logger. Clients for
 * routed targets are made once per base URL, key and retry count.
 */
@Injectable()
export class ArkClientFactory {
  private readonly clients = new Map<string, OpenAI>();
  private readonly fetch: typeof fetch;

  constructor(
    @Inject(arkConfig.KEY) private readonly config: ConfigType<typeof arkConfig>,
    tracer: Tracer,
    agent: UpstreamHttpAgent,
    @Optional() timings?: RequestLedgerContext,
  ) {
    this.fetch = observedFetch(agent.fetch, tracer, timings ?? null);
  }

  create(options: ArkClientOptions): OpenAI {
    return new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: this.config.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: this.fetch,
      logger: sdkLogger(),
      logLevel: 'warn',
    });
  }

  /** The client for one routed target, made on first use. */
  forTarget(options: ArkClientOptions): OpenAI {
    const key = `${options.baseUrl}\n${options.apiKey}\n${options.maxRetries}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(options);
      this.clients.set(key, client);
    }
    return client;
  }
}

/** The process's client for ARK_BASE_URL and ARK_API_KEY; `null` when ARK_API_KEY is not set. */
export const arkClientProvider: FactoryProvider<OpenAI | null> = {
  provide: ARK_CLIENT,
  inject: [arkConfig.KEY, ArkClientFactory],
  useFactory: (config: ConfigType<typeof arkConfig>, factory: ArkClientFactory) =>
    config.apiKey
      ? factory.create({
          apiKey: config.apiKey,
          baseUrl: config.baseUrl,
          maxRetries: config.maxRetries,
        })
      : null,
};
