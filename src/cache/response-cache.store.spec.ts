import { MemoryResponseCacheStore } from './response-cache.store';

describe(MemoryResponseCacheStore.name, () => {
  it('keeps a value until its TTL is over', async () => {
    const clock = { now: 0 };
    const sut = new MemoryResponseCacheStore(10, () => clock.now);
    await sut.set('k', 'v', 2);

    clock.now = 1_999;
    await expect(sut.get('k')).resolves.toBe('v');
    clock.now = 2_000;
    await expect(sut.get('k')).resolves.toBeUndefined();
  });

  it('forgets the oldest entry beyond its capacity', async () => {
    const sut = new MemoryResponseCacheStore(2);
    await sut.set('a', '1', 60);
    await sut.set('b', '2', 60);
    await sut.set('c', '3', 60);

    await expect(sut.get('a')).resolves.toBeUndefined();
    await expect(sut.get('c')).resolves.toBe('3');
  });

  it('forgets the least recently read entry first', async () => {
    const sut = new MemoryResponseCacheStore(2);
    await sut.set('a', '1', 60);
    await sut.set('b', '2', 60);
    await sut.get('a');
    await sut.set('c', '3', 60);

    await expect(sut.get('b')).resolves.toBeUndefined();
    await expect(sut.get('a')).resolves.toBe('1');
    await expect(sut.get('c')).resolves.toBe('3');
  });
});
