import { LruCache } from './lru.cache';

describe(LruCache.name, () => {
  it('drops the least recently used entry beyond its capacity', () => {
    const sut = new LruCache<string, number>(2);
    sut.set('a', 1);
    sut.set('b', 2);
    sut.get('a');
    sut.set('c', 3);
    expect(sut.get('b')).toBeUndefined();
    expect(sut.get('a')).toBe(1);
    expect(sut.get('c')).toBe(3);
    expect(sut.size).toBe(2);
  });
});
