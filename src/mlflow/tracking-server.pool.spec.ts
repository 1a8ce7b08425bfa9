import { splitTrackingUris, TrackingServerPool } from './tracking-server.pool';

describe(TrackingServerPool.name, () => {
  it('takes turns over the servers', () => {
    const sut = new TrackingServerPool(['http://a/', 'http://b', 'http://c']);
    expect(sut.urls).toEqual(['http://a', 'http://b', 'http://c']);
    expect([sut.order(), sut.order(), sut.order(), sut.order()]).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
  });

  it('tries a server that failed last, until its cooldown is over', () => {
    let now = 1_000;
    const sut = new TrackingServerPool(['http://a', 'http://b'], 5_000, () => now);
    sut.failed(0);
    expect(sut.order()).toEqual([1, 0]);
    expect(sut.order()).toEqual([1, 0]);
    now += 5_000;
    expect(sut.order()).toEqual([0, 1]);
    sut.failed(1);
    sut.succeeded(1);
    expect(sut.order()).toEqual([1, 0]);
  });

  it('splits a comma-separated MLFLOW_TRACKING_URI', () => {
    expect(splitTrackingUris(' http://a:5000 ,http://b:5000,')).toEqual([
      'http://a:5000',
      'http://b:5000',
    ]);
  });
});
