import { ApiKeyStore } from './api-key.store';

describe(ApiKeyStore.name, () => {
  const sut = new ApiKeyStore([
    { name: 'web', key: 'sk-web' },
    { name: 'batch', key: 'sk-batch', rpm: 5 },
  ]);

  it('finds the entry of a configured key', () => {
    expect(sut.find('sk-batch')).toEqual({ name: 'batch', key: 'sk-batch', rpm: 5 });
    expect(sut.find('sk-web')?.name).toBe('web');
  });

  it.each(['', 'sk-we', 'sk-web ', 'SK-WEB', 'web'])('finds nothing for %j', (presented) => {
    expect(sut.find(presented)).toBeUndefined();
  });

  it('looks entries up by name for their limits', () => {
    expect(sut.byName('batch')?.rpm).toBe(5);
    expect(sut.byName('nobody')).toBeUndefined();
  });
});
