import { GatewayError } from '../common/errors/gateway.error';
import { MlflowRequestError } from '../mlflow/mlflow-request.error';
import { PromptCache, type PromptFetcher, cacheKey } from './prompt.cache';
import { PromptErrors } from './prompt.errors';
import type { PromptCacheEntry, PromptCacheStore } from './prompt-cache.store';
import type { PromptRef } from './prompt-ref.model';
import type { PromptVersion } from './prompt-version.model';

const TTL = 60_000;
const PROD: PromptRef = { name: 'greeter', alias: 'prod' };
const V1: PromptRef = { name: 'greeter', version: '1' };

function version(number: string): PromptVersion {
  return {
    name: 'greeter',
    version: number,
    type: 'text',
    template: `v${number} {{name}}`,
    variables: ['name'],
    syntax: 'double-brace',
  };
}

const networkError = () =>
  new MlflowRequestError({
    method: 'GET',
    path: '/api/2.0/mlflow/registered-models/alias',
    errorCode: 'NETWORK_ERROR',
    message: 'fetch failed',
  });

/** A store in memory, as Redis would hold it for every instance. */
class SharedStore implements PromptCacheStore {
  readonly entries = new Map<string, PromptCacheEntry>();
  readonly used = new Map<string, { ref: PromptRef; at: number }>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async set(key: string, entry: PromptCacheEntry) {
    this.entries.set(key, entry);
  }
  async markAliasUsed(ref: PromptRef, at: number) {
    this.used.set(cacheKey(ref), { ref, at });
  }
  async aliasesUsedSince(since: number) {
    return [...this.used.values()].filter((use) => use.at >= since).map((use) => use.ref);
  }
}

function setup(options: { store?: PromptCacheStore | null; fetchTimeoutMs?: number } = {}) {
  let now = 1_000_000;
  let registry: Record<string, string> = { prod: '1' };
  const fetch = jest.fn<Promise<PromptVersion>, [PromptRef]>(async (ref) => {
    if (ref.version !== undefined) return version(ref.version);
    const target = registry[ref.alias];
    if (!target) throw PromptErrors.unknownAlias(ref.name, ref.alias);
    return version(target);
  });
  const fetcher: PromptFetcher = { fetch };
  const logger = { warn: jest.fn() };
  const store = options.store === undefined ? null : options.store;
  const sut = new PromptCache(
    fetcher,
    store,
    { aliasTtlMs: TTL, maxLocalEntries: 10, fetchTimeoutMs: options.fetchTimeoutMs ?? 1_000 },
    logger,
    () => now,
  );
  return {
    sut,
    fetch,
    logger,
    advance: (ms: number) => (now += ms),
    moveAlias: (alias: string, target: string) => (registry = { ...registry, [alias]: target }),
    registryDown: () => fetch.mockImplementation(async () => Promise.reject(networkError())),
  };
}

describe(PromptCache.name, () => {
  it('fetches a version once and serves it from memory afterwards, however old', async () => {
    const { sut, fetch, advance } = setup();
    expect((await sut.resolve(V1)).source).toBe('registry');
    advance(100 * TTL);
    const again = await sut.resolve(V1);
    expect(again).toMatchObject({ source: 'memory', prompt: { version: '1' } });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('shares one registry call among concurrent misses for the same key', async () => {
    const { sut, fetch } = setup();
    let release!: (value: PromptVersion) => void;
    fetch.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const waiting = Promise.all([sut.resolve(PROD), sut.resolve(PROD), sut.resolve(PROD)]);
    await new Promise((resolve) => setImmediate(resolve));
    release(version('1'));
    const answers = await waiting;
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(answers.map((answer) => answer.prompt.version)).toEqual(['1', '1', '1']);
  });

  it('stops waiting on a slow registry after the timeout', async () => {
    const { sut, fetch } = setup({ fetchTimeoutMs: 20 });
    fetch.mockImplementationOnce(() => new Promise(() => undefined));
    await expect(sut.resolve(PROD)).rejects.toMatchObject({
      status: 503,
      code: 'prompt_registry_unavailable',
    });
  });

  it('trusts an alias for its TTL, then looks it up again', async () => {
    const { sut, fetch, advance, moveAlias } = setup();
    await sut.resolve(PROD);
    moveAlias('prod', '2');
    advance(TTL - 1);
    expect((await sut.resolve(PROD)).prompt.version).toBe('1');
    advance(1);
    const moved = await sut.resolve(PROD);
    expect(moved).toMatchObject({ source: 'registry', prompt: { version: '2' } });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('serves the last known version of an expired alias while the registry is down, and warns', async () => {
    const { sut, advance, registryDown, logger } = setup();
    await sut.resolve(PROD);
    advance(5 * TTL);
    registryDown();
    const stale = await sut.resolve(PROD);
    expect(stale).toMatchObject({ source: 'stale', prompt: { version: '1' } });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /registry unavailable .*fetch failed.*prompts:\/greeter@prod = version 1, last confirmed 300 s ago/,
    );
  });

  it('serves stale entries at once for a while after the registry failed, then asks again', async () => {
    const { sut, fetch, advance, registryDown } = setup();
    await sut.resolve(PROD);
    advance(TTL);
    registryDown();
    expect((await sut.resolve(PROD)).source).toBe('stale');
    expect((await sut.resolve(PROD)).source).toBe('stale');
    expect(fetch).toHaveBeenCalledTimes(2);
    advance(1_000);
    expect((await sut.resolve(PROD)).source).toBe('stale');
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('is a 503 when the registry is down and nothing is cached', async () => {
    const { sut, registryDown } = setup();
    registryDown();
    await expect(sut.resolve(PROD)).rejects.toMatchObject({ status: 503, retryAfter: '5' });
  });

  it('does not serve a stale entry when the registry says the alias is gone', async () => {
    const { sut, advance, moveAlias } = setup();
    await sut.resolve(PROD);
    moveAlias('prod', '');
    advance(TTL);
    await expect(sut.resolve(PROD)).rejects.toBeInstanceOf(GatewayError);
    await expect(sut.resolve(PROD)).rejects.toMatchObject({ status: 404 });
  });

  it('serves what another instance put in the shared store without asking the registry', async () => {
    const store = new SharedStore();
    const first = setup({ store });
    const second = setup({ store });
    await first.sut.resolve(PROD);
    const shared = await second.sut.resolve(PROD);
    expect(shared.source).toBe('redis');
    expect(second.fetch).not.toHaveBeenCalled();
    expect(store.entries.has('v:greeter/1')).toBe(true);
  });

  it('refreshes an aging alias in the shared store, so requests find it fresh', async () => {
    const store = new SharedStore();
    const { sut, fetch, advance, moveAlias } = setup({ store });
    await sut.resolve(PROD);
    expect(await store.aliasesUsedSince(0)).toEqual([PROD]);
    advance(TTL / 6);
    expect(await sut.refreshIfAging(PROD)).toBe('fresh');
    moveAlias('prod', '3');
    advance(TTL / 6);
    expect(await sut.refreshIfAging(PROD)).toBe('refreshed');
    expect(store.entries.get('a:greeter@prod')?.prompt.version).toBe('3');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('reports a failed refresh and keeps the entry', async () => {
    const { sut, advance, registryDown, logger } = setup();
    await sut.resolve(PROD);
    advance(TTL);
    registryDown();
    expect(await sut.refreshIfAging(PROD)).toBe('failed');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Could not refresh'));
    expect((await sut.resolve(PROD)).source).toBe('stale');
  });

  it('remembers the aliases requests used, for the refresher without Redis', async () => {
    const { sut } = setup();
    await sut.resolve(PROD);
    await sut.resolve(V1);
    expect(sut.aliasesUsedSince(0)).toEqual([PROD]);
  });
});
