import { SingleFlight, SingleFlightTimeoutError } from './single-flight';

describe(SingleFlight.name, () => {
  it('runs one call per key and hands its result to every caller', async () => {
    const sut = new SingleFlight<number>();
    const call = jest.fn(async () => 7);
    const results = await Promise.all([sut.run('a', call, 1000), sut.run('a', call, 1000)]);
    expect(results).toEqual([7, 7]);
    expect(call).toHaveBeenCalledTimes(1);
    expect(sut.inFlight).toBe(0);
  });

  it('runs calls for different keys, and calls again once a call is over', async () => {
    const sut = new SingleFlight<string>();
    const call = jest.fn(async () => 'x');
    await Promise.all([sut.run('a', call, 1000), sut.run('b', call, 1000)]);
    await sut.run('a', call, 1000);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('shares a failure, and forgets it', async () => {
    const sut = new SingleFlight<string>();
    const call = jest.fn(async () => Promise.reject(new Error('boom')));
    await expect(Promise.all([sut.run('a', call, 1000), sut.run('a', call, 1000)])).rejects.toThrow(
      'boom',
    );
    expect(call).toHaveBeenCalledTimes(1);
    await expect(sut.run('a', call, 1000)).rejects.toThrow('boom');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('lets a caller give up after its timeout while the call goes on', async () => {
    const sut = new SingleFlight<string>();
    let finish!: (value: string) => void;
    const call = () => new Promise<string>((resolve) => (finish = resolve));
    await expect(sut.run('a', call, 10)).rejects.toBeInstanceOf(SingleFlightTimeoutError);
    const late = sut.run('a', call, 1000);
    finish('done');
    await expect(late).resolves.toBe('done');
  });
});
