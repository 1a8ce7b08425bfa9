import { InProcessJobQueue } from './in-process-job.queue';

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}

function setup(handler: (data: string) => Promise<unknown>) {
  const backoffMs = jest.fn(() => 5);
  const sut = new InProcessJobQueue(handler, {
    name: 'TestJobs',
    concurrency: 2,
    maxAttempts: 3,
    capacity: 10,
    backoffMs,
  });
  return { sut, backoffMs };
}

describe(InProcessJobQueue.name, () => {
  it('retries a failing job with the given backoff until it succeeds', async () => {
    let calls = 0;
    const { sut, backoffMs } = setup(async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('later'), { retryable: true });
    });
    await sut.add('a', 'data');
    await until(() => sut.backlog === 0);
    expect(calls).toBe(3);
    expect(backoffMs).toHaveBeenCalledWith(1, expect.any(Error), 'data');
    await sut.close();
  });

  it('gives up at once on a permanent failure', async () => {
    const handler = jest.fn(async () => {
      throw Object.assign(new Error('never'), { retryable: false });
    });
    const { sut } = setup(handler);
    await sut.add('a', 'data');
    await until(() => sut.backlog === 0);
    expect(handler).toHaveBeenCalledTimes(1);
    await sut.close();
  });

  it('ignores a job id it already has', async () => {
    const handler = jest.fn(async () => new Promise((resolve) => setTimeout(resolve, 10)));
    const { sut } = setup(handler);
    expect(await sut.add('a', 'x')).toBe(true);
    expect(await sut.add('a', 'x')).toBe(false);
    await until(() => sut.backlog === 0);
    expect(handler).toHaveBeenCalledTimes(1);
    await sut.close();
  });
});
