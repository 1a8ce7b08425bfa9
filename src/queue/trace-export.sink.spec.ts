import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FinishedTrace } from '../tracing/trace.model';
import { DiskTraceSpool } from './disk-trace.spool';
import { MemoryTraceBuffer } from './memory-trace.buffer';
import type { TraceExportDriver } from './trace-export.driver';
import type { TraceExportJob } from './trace-export-job.model';
import { TraceExportSink } from './trace-export.sink';
import type { TraceHold } from './trace-hold.model';

function job(id: string): TraceExportJob {
  return { experimentName: 'e', trace: { traceId: id } as FinishedTrace };
}

function setup(openHold: () => TraceHold = () => new MemoryTraceBuffer(3)) {
  let available = true;
  const queued: string[] = [];
  const take = async (item: TraceExportJob) => {
    if (!available) throw new Error('Redis is not connected');
    queued.push(item.trace.traceId);
  };
  const driver: TraceExportDriver = {
    kind: 'bullmq',
    get ready() {
      return available;
    },
    enqueue: jest.fn(take),
    enqueueMany: jest.fn(async (items: TraceExportJob[]) => {
      for (const item of items) await take(item);
    }),
    has: jest.fn(async (traceId: string) => queued.includes(traceId)),
    backlog: jest.fn(async () => queued.length),
    close: jest.fn(async () => undefined),
  };
  const sut = new TraceExportSink(driver, openHold);
  return { sut, driver, queued, setAvailable: (value: boolean) => (available = value) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(TraceExportSink.name, () => {
  it('hands traces straight to the queue when it is up', async () => {
    const { sut, queued } = setup();
    sut.submit(job('tr-1'));
    await settle();
    expect(queued).toEqual(['tr-1']);
    expect(sut.buffered).toBe(0);
  });

  it('holds traces while the queue is down and hands every one on once it is back', async () => {
    const { sut, queued, setAvailable } = setup();
    setAvailable(false);
    sut.submit(job('tr-1'));
    sut.submit(job('tr-2'));
    await settle();
    expect(sut.buffered).toBe(2);
    setAvailable(true);
    await sut.flush();
    expect(queued).toEqual(['tr-1', 'tr-2']);
    expect(sut.buffered).toBe(0);
  });

  it('counts what overflows the bounded buffer', async () => {
    const { sut, setAvailable } = setup(() => new MemoryTraceBuffer(2));
    setAvailable(false);
    for (const id of ['tr-1', 'tr-2', 'tr-3', 'tr-4']) sut.submit(job(id));
    await settle();
    expect(sut.buffered).toBe(2);
    expect(sut.droppedTotal).toBe(2);
    await sut.close();
  });

  it('leaves spooled traces on disk at shutdown, for the next process to hand on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arkgate-sink-'));
    try {
      const first = setup(() => DiskTraceSpool.open(dir, 1024 * 1024));
      first.setAvailable(false);
      first.sut.submit(job('tr-1'));
      first.sut.submit(job('tr-2'));
      await first.sut.close();

      const second = setup(() => DiskTraceSpool.open(dir, 1024 * 1024));
      second.sut.resume();
      expect(second.sut.buffered).toBe(2);
      await second.sut.flush();
      expect(second.queued).toEqual(['tr-1', 'tr-2']);
      expect(second.sut.buffered).toBe(0);
      // Emptied, the spool gives its directory back (another process may take it).
      expect(readdirSync(dir)).toEqual([]);
      await second.sut.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
