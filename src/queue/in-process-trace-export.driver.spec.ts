import type { FinishedTrace } from '../tracing/trace.model';
import { InProcessTraceExportDriver } from './in-process-trace-export.driver';
import type { TraceExportJob } from './trace-export-job.model';

const job = (id: string): TraceExportJob => ({
  experimentName: 'e',
  trace: { traceId: id } as FinishedTrace,
});

function setup(handler: (job: TraceExportJob) => Promise<unknown>) {
  return new InProcessTraceExportDriver(handler, {
    concurrency: 2,
    maxAttempts: 3,
    retryBaseMs: 10,
    retryMaxDelayMs: 20,
    capacity: 10,
  });
}

async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}

describe(InProcessTraceExportDriver.name, () => {
  it('retries a retryable failure until it succeeds', async () => {
    let calls = 0;
    const sut = setup(async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('503'), { retryable: true });
    });
    await sut.enqueue(job('tr-1'));
    await until(async () => (await sut.backlog()) === 0);
    expect(calls).toBe(3);
    await sut.close();
  });

  it('gives up at once on a permanent failure', async () => {
    const handler = jest.fn(async () => {
      throw Object.assign(new Error('400'), { retryable: false });
    });
    const sut = setup(handler);
    await sut.enqueue(job('tr-1'));
    await until(async () => (await sut.backlog()) === 0);
    expect(handler).toHaveBeenCalledTimes(1);
    await sut.close();
  });

  it('exports a trace submitted twice once', async () => {
    const handler = jest.fn(async () => new Promise((resolve) => setTimeout(resolve, 10)));
    const sut = setup(handler);
    await sut.enqueue(job('tr-1'));
    await sut.enqueue(job('tr-1'));
    await until(async () => (await sut.backlog()) === 0);
    expect(handler).toHaveBeenCalledTimes(1);
    await sut.close();
  });
});
