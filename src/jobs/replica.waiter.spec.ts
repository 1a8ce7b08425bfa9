import type { RedisClient } from './redis-connection.factory';
import { ReplicaWaiter } from './replica.waiter';

describe(ReplicaWaiter.name, () => {
  function setup(acks: number[]) {
    const answers: ((acked: number) => void)[] = [];
    const connection = {
      wait: jest.fn(() => new Promise<number>((resolve) => answers.push(resolve))),
    };
    let now = 0;
    const sut = new ReplicaWaiter(connection as unknown as RedisClient, '{q}', 1, 500, () => now);
    const answer = async () => {
      await new Promise(setImmediate);
      answers.shift()?.(acks.shift() ?? 1);
      await new Promise(setImmediate);
    };
    return { sut, connection, answer, advance: (ms: number) => (now += ms) };
  }

  it('sends one WAIT at a time; the batches written meanwhile share the next one', async () => {
    const { sut, connection, answer } = setup([1, 1]);
    const first = sut.wait();
    const second = sut.wait();
    const third = sut.wait();
    expect(connection.wait).toHaveBeenCalledTimes(1);

    await answer();
    await expect(first).resolves.toBeUndefined();
    expect(connection.wait).toHaveBeenCalledTimes(2);
    await answer();
    await expect(Promise.all([second, third])).resolves.toEqual([undefined, undefined]);
    expect(connection.wait).toHaveBeenCalledWith(1, 500);
  });

  it('stops waiting while too few replicas answer, and checks again after ten seconds', async () => {
    const { sut, connection, answer, advance } = setup([0, 1]);
    const first = sut.wait();
    await answer();
    await first;

    await sut.wait();
    expect(connection.wait).toHaveBeenCalledTimes(1);

    advance(10_000);
    const probe = sut.wait();
    await answer();
    await probe;
    expect(connection.wait).toHaveBeenCalledTimes(2);
    const after = sut.wait();
    expect(connection.wait).toHaveBeenCalledTimes(3);
    await answer();
    await after;
  });

  it('lets the batches go when WAIT fails (their writes landed), and waits no more for a while', async () => {
    const connection = { wait: jest.fn(() => Promise.reject(new Error('Connection is closed'))) };
    const sut = new ReplicaWaiter(connection as unknown as RedisClient, '{q}', 1, 500);
    await expect(sut.wait()).resolves.toBeUndefined();
    await expect(sut.wait()).resolves.toBeUndefined();
    expect(connection.wait).toHaveBeenCalledTimes(1);
  });
});
