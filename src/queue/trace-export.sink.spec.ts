import type { FinishedTrace } from '../tracing/trace.model';
import type { TraceExportDriver } from './trace-export.driver';
import type { TraceExportJob } from './trace-export-job.model';
import { TraceExportSink } from './trace-export.sink';

function trace(id: string): TraceExportJob {
  return { experimentName: 'e', trace: traceRecord(id) };
}

function traceRecord(id: string): FinishedTrace {
  return {
    traceId: id,
    remoteParent: false,
    requestTime: 0,
    executionDurationMs: 1,
    state: 'OK',
    metadata: {},
    tags: {},
    spans: [],
  };
}

function setup(capacity = 3) {
  let available = true;
  const queued: string[] = [];
  const driver: TraceExportDriver = {
    kind: 'bullmq',
    get ready() {
      return available;
    },
    enqueue: jest.fn(async (item: TraceExportJob) => {
      if (!available) throw new Error('Redis is not connected');
      queued.push(item.trace.traceId);
    }),
    backlog: jest.fn(async () => queued.length),
    close: jest.fn(async () => undefined),
  };
  const sut = new TraceExportSink(driver, capacity);
  return { sut, driver, queued, setAvailable: (value: boolean) => (available = value) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(TraceExportSink.name, () => {
  it('hands traces straight to the queue when it is up', async () => {
    const { sut, queued } = setup();
    sut.submit(trace('tr-1'));
    await settle();
    expect(queued).toEqual(['tr-1']);
    expect(sut.buffered).toBe(0);
  });

  it('buffers while the queue is down and flushes every trace once it is back', async () => {
    const { sut, queued, setAvailable } = setup();
    setAvailable(false);
    sut.submit(trace('tr-1'));
    sut.submit(trace('tr-2'));
    await settle();
    expect(sut.buffered).toBe(2);
    setAvailable(true);
    await sut.flush();
    expect(queued).toEqual(['tr-1', 'tr-2']);
    expect(sut.buffered).toBe(0);
  });

  it('counts what overflows the bounded buffer', async () => {
    const { sut, setAvailable } = setup(2);
    setAvailable(false);
    for (const id of ['tr-1', 'tr-2', 'tr-3', 'tr-4']) sut.submit(trace(id));
    await settle();
    expect(sut.buffered).toBe(2);
    expect(sut.droppedTotal).toBe(2);
    await sut.close();
  });
});
