import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import { cacheConfig } from '../config/cache.config';
import { ThrottledLogger } from '../logging/throttled.logger';
import { MetricsService } from '../metrics/metrics.service';
import { RequestLedgerContext } from '../metrics/request-ledger.context';
import { responseCacheKey } from './response-cache.key';
import { CACHE_HEADER, type CachePolicy, type CacheRequest } from './response-cache.model';
import {
  MemoryResponseCacheStore,
  RedisResponseCacheStore,
  type ResponseCacheStore,
} from './response-cache.store';

const MAX_AGE = /^max-age=(\d{1,9})$/;
const CONNECT_WAIT_MS = 2_000;

/**
 * Chat completions answered from earlier identical requests of the same caller: off unless
 * CACHE_TTL_SECONDS or the request's `x-arkgate-cache: max-age=N` says how long; in Redis (or
 * this process without it). A lookup or write that fails is a miss, never a failed request.
 */
@Injectable()
export class ResponseCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly failures = new ThrottledLogger(ResponseCacheService.name, 30_000);
  private store?: ResponseCacheStore;

  constructor(
    @Inject(cacheConfig.KEY) private readonly config: ConfigType<typeof cacheConfig>,
    @Optional() private readonly timings?: RequestLedgerContext,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** The policy for a request, or undefined when it is not cached; a bad header is a 400. */
  policy(
    request: CacheRequest | undefined,
    body: Record<string, unknown>,
  ): CachePolicy | undefined {
    if (!request) return undefined;
    const directive = request.directive?.trim().toLowerCase();
    let ttlSeconds = this.config.ttlSeconds;
    if (directive === 'no-store') return undefined;
    if (directive) {
      const maxAge = MAX_AGE.exec(directive);
      if (!maxAge) {
        throw new GatewayError(`${CACHE_HEADER} must be "no-store" or "max-age=<seconds>"`, {
          status: 400,
          code: GatewayErrorCode.InvalidRequest,
          type: 'invalid_request_error',
          param: CACHE_HEADER,
        });
      }
      ttlSeconds = Math.min(Number(maxAge[1]), this.config.maxTtlSeconds);
    }
    return ttlSeconds > 0 ? { key: responseCacheKey(request.scope, body), ttlSeconds } : undefined;
  }

  async lookup(policy: CachePolicy): Promise<ChatCompletion | undefined> {
    let text: string | undefined;
    try {
      text = await this.storeFor().get(policy.key);
    } catch (error) {
      this.failed('read', error);
    }
    const result = text === undefined ? 'miss' : 'hit';
    this.metrics?.responseCache.inc({ result });
    const timing = this.timings?.current();
    if (timing) timing.cache = result;
    return text === undefined ? undefined : (JSON.parse(text) as ChatCompletion);
  }

  /** Keeps a finished answer; in the background, so the caller never waits on it. */
  save(policy: CachePolicy, completion: ChatCompletion): void {
    if (!completion.choices.every((choice) => choice.finish_reason)) return;
    this.storeFor()
      .set(policy.key, JSON.stringify(completion), policy.ttlSeconds)
      .then(
        () => this.metrics?.responseCache.inc({ result: 'stored' }),
        (error: unknown) => this.failed('write', error),
      );
  }

  /** With a default TTL the store is opened at start, so the first requests are served too. */
  async onModuleInit(): Promise<void> {
    if (this.config.ttlSeconds > 0) await this.storeFor().connected(CONNECT_WAIT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }

  /** Opened on first use, so a deployment that never caches opens no connection. */
  private storeFor(): ResponseCacheStore {
    this.store ??= this.config.redis
      ? new RedisResponseCacheStore(this.config.redis)
      : new MemoryResponseCacheStore(this.config.maxEntries);
    return this.store;
  }

  private failed(what: 'read' | 'write', error: unknown): void {
    this.metrics?.responseCache.inc({ result: 'error' });
    this.failures.warn(`Response cache ${what} failed (${String(error)}); answering without it`);
  }
}
