import type { PromptRef } from './prompt-ref.model';
import type { PromptVersion } from './prompt-version.model';

/** A cached prompt version, with when it was read from the registry (ms since the epoch). */
export interface PromptCacheEntry {
  prompt: PromptVersion;
  fetchedAt: number;
}

/**
 * The cache layer every instance shares (Redis). Failures are the store's to swallow: a broken
 * store is a miss, never a failed request.
 */
export interface PromptCacheStore {
  get(key: string): Promise<PromptCacheEntry | undefined>;
  set(key: string, entry: PromptCacheEntry): Promise<void>;
  /** Records that requests use this alias, so the refresh job keeps it fresh. */
  markAliasUsed(ref: PromptRef, at: number): Promise<void>;
  /** Aliases used since `since`; forgets the ones used before. */
  aliasesUsedSince(since: number): Promise<PromptRef[]>;
}
