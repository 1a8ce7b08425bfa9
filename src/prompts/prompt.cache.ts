import { GatewayError } from '../common/errors/gateway.error';
import { LRUCache } from 'lru-cache';
import { PromptErrors } from './prompt.errors';
import type { PromptCacheEntry, PromptCacheStore } from './prompt-cache.store';
import { type PromptRef, promptRefUri } from './prompt-ref.model';
import type { PromptVersion } from './prompt-version.model';
import { SingleFlight } from './single-flight';

export interface PromptCacheOptions {
  /** How long an alias is trusted; versions never change, so they never expire. */
  aliasTtlMs: number;
  /** Bound of the in-process layer. */
  maxLocalEntries: number;
  /** How long a request waits on a registry look-up before it settles for a stale entry. */
  fetchTimeoutMs: number;
}

export interface PromptFetcher {
  fetch(ref: PromptRef): Promise<PromptVersion>;
}

export interface PromptCacheLogger {
  warn(message: string): void;
}

/** Where an answer came from: `stale` is an expired alias served because the registry failed. */
export type PromptSource = 'memory' | 'redis' | 'registry' | 'stale';

export interface ResolvedPrompt extends PromptCacheEntry {
  source: PromptSource;
}

export type RefreshOutcome = 'fresh' | 'refreshed' | 'failed';

/**
 * Prompt versions by reference, from a bounded in-process LRU, then the shared store (Redis),
 * then the registry. Concurrent misses for a key share one registry call; an alias older than
 * its TTL is looked up again, and served stale (with a warning) when the registry is down.
 */
export class PromptCache {
  private readonly local: LRUCache<string, PromptCacheEntry>;
  private readonly flights = new SingleFlight<PromptCacheEntry>();
  /** Alias key → when a request last used it (for the refresher without Redis). */
  private readonly used: LRUCache<string, { ref: PromptRef; at: number; markedAt: number }>;
  private readonly staleWarnedAt = new Map<string, number>();
  /** The last registry failure: for `fetchTimeoutMs` after it, stale entries are served at once. */
  private registryFailure?: { at: number; error: unknown };

  constructor(
    private readonly fetcher: PromptFetcher,
    private readonly store: PromptCacheStore | null,
    private readonly options: PromptCacheOptions,
    private readonly logger: PromptCacheLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new LRUCache({ max: options.maxLocalEntries });
    this.used = new LRUCache({ max: options.maxLocalEntries });
  }

  async resolve(ref: PromptRef): Promise<ResolvedPrompt> {
    const key = cacheKey(ref);
    const local = this.local.get(key);
    if (local && this.isFresh(ref, local)) return this.answer(ref, local, 'memory');
    const shared = await this.store?.get(key);
    if (shared && this.isFresh(ref, shared)) {
      this.local.set(key, shared);
      return this.answer(ref, shared, 'redis');
    }
    const stale = newest(local, shared);
    // The registry just failed: do not make every request wait on it again.
    const failure = this.registryFailure;
    if (stale && failure && this.now() - failure.at < this.options.fetchTimeoutMs) {
      return this.serveStale(ref, stale, failure.error);
    }
    try {
      const fetched = await this.flights.run(
        key,
        () => this.fetchAndStore(ref),
        this.options.fetchTimeoutMs,
      );
      return this.answer(ref, fetched, 'registry');
    } catch (error) {
      // The registry answered (unknown prompt, version or alias): that is the answer.
      if (error instanceof GatewayError) throw error;
      this.registryFailure = { at: this.now(), error };
      if (!stale) throw PromptErrors.registryUnavailable(promptRefUri(ref), error);
      return this.serveStale(ref, stale, error);
    }
  }

  /**
   * Looks an alias up again when its entry is past a third of its TTL (or missing), so requests
   * keep finding it fresh. A failure keeps the old entry and is reported, not thrown.
   */
  async refreshIfAging(ref: PromptRef): Promise<RefreshOutcome> {
    const key = cacheKey(ref);
    const entry = (await this.store?.get(key)) ?? this.local.get(key);
    if (entry && this.now() - entry.fetchedAt < this.options.aliasTtlMs / 3) return 'fresh';
    try {
      await this.flights.run(key, () => this.fetchAndStore(ref), this.options.fetchTimeoutMs);
      return 'refreshed';
    } catch (error) {
      if (!(error instanceof GatewayError)) this.registryFailure = { at: this.now(), error };
      const age = entry ? `${Math.round((this.now() - entry.fetchedAt) / 1000)} s old` : 'absent';
      this.logger.warn(
        `Could not refresh ${promptRefUri(ref)} (cached entry ${age}): ${describe(error)}`,
      );
      return 'failed';
    }
  }

  /** Aliases requests used since `since`, as this process saw them. */
  aliasesUsedSince(since: number): PromptRef[] {
    const refs: PromptRef[] = [];
    for (const use of this.used.rvalues()) if (use && use.at >= since) refs.push(use.ref);
    return refs;
  }

  private async fetchAndStore(ref: PromptRef): Promise<PromptCacheEntry> {
    const prompt = await this.fetcher.fetch(ref);
    this.registryFailure = undefined;
    const entry: PromptCacheEntry = { prompt, fetchedAt: this.now() };
    const versionKey = cacheKey({ name: prompt.name, version: prompt.version });
    this.local.set(cacheKey(ref), entry);
    if (ref.alias !== undefined) this.local.set(versionKey, entry);
    await this.store?.set(cacheKey(ref), entry);
    if (ref.alias !== undefined) await this.store?.set(versionKey, entry);
    return entry;
  }

  private serveStale(ref: PromptRef, stale: PromptCacheEntry, error: unknown): ResolvedPrompt {
    this.warnStale(ref, stale, error);
    const key = cacheKey(ref);
    if ((this.local.get(key)?.fetchedAt ?? -1) < stale.fetchedAt) this.local.set(key, stale);
    return this.answer(ref, stale, 'stale');
  }

  private answer(ref: PromptRef, entry: PromptCacheEntry, source: PromptSource): ResolvedPrompt {
    if (ref.alias !== undefined) this.markUsed(ref);
    return { ...entry, source };
  }

  private markUsed(ref: PromptRef): void {
    const key = cacheKey(ref);
    const now = this.now();
    const previous = this.used.get(key);
    // Telling Redis on every request would be a write per request; a few times per TTL is enough.
    const due = !previous || now - previous.markedAt >= this.options.aliasTtlMs / 4;
    this.used.set(key, { ref, at: now, markedAt: due ? now : previous.markedAt });
    if (due) void this.store?.markAliasUsed(ref, now);
  }

  private isFresh(ref: PromptRef, entry: PromptCacheEntry): boolean {
    return ref.version !== undefined || this.now() - entry.fetchedAt < this.options.aliasTtlMs;
  }

  private warnStale(ref: PromptRef, entry: PromptCacheEntry, error: unknown): void {
    const key = cacheKey(ref);
    const now = this.now();
    if (now - (this.staleWarnedAt.get(key) ?? 0) < this.options.aliasTtlMs) return;
    this.staleWarnedAt.set(key, now);
    const age = Math.round((now - entry.fetchedAt) / 1000);
    this.logger.warn(
      `Prompt registry unavailable (${describe(error)}); serving ${promptRefUri(ref)} = ` +
        `version ${entry.prompt.version}, last confirmed ${age} s ago`,
    );
  }
}

/** Cache key of a reference: `v:<name>/<version>` or `a:<name>@<alias>`. */
export function cacheKey(ref: PromptRef): string {
  return ref.version !== undefined ? `v:${ref.name}/${ref.version}` : `a:${ref.name}@${ref.alias}`;
}

function newest(...entries: (PromptCacheEntry | undefined)[]): PromptCacheEntry | undefined {
  return entries
    .filter((entry): entry is PromptCacheEntry => entry !== undefined)
    .sort((a, b) => b.fetchedAt - a.fetchedAt)[0];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
