/** What a request says about caching: whose answers it may read, and its header. */
export interface CacheRequest {
  /** The caller's API key name (`anonymous` with auth off): answers are never shared across scopes. */
  scope: string;
  /** The `x-arkgate-cache` header: `no-store`, or `max-age=<seconds>`. */
  directive?: string;
}

/** A request the cache is used for: read first, written after a miss. */
export interface CachePolicy {
  /** Where its answer is kept: the caller's scope and the request (see `responseCacheKey`). */
  key: string;
  ttlSeconds: number;
}

export type CacheResult = 'hit' | 'miss';

export const CACHE_HEADER = 'x-arkgate-cache';
