import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FinishedTrace } from '../tracing/trace.model';
import { DiskTraceSpool } from './disk-trace.spool';
import type { TraceExportJob } from './trace-export-job.model';
import { encodeSpoolRecord } from './trace-spool.codec';

const job = (id: string): TraceExportJob => ({
  experimentName: 'e',
  trace: { traceId: id, spans: [] } as unknown as FinishedTrace,
});

describe(DiskTraceSpool.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'arkgate-spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function drain(sut: DiskTraceSpool): Promise<string[]> {
    const ids: string[] = [];
    await sut.release(async (jobs) => void ids.push(...jobs.map((j) => j.trace.traceId)));
    return ids;
  }

  it('hands over what it holds in order and deletes the files it handed over', async () => {
    const sut = DiskTraceSpool.open(dir, 1024 * 1024);
    for (const id of ['a', 'b', 'c']) sut.hold(job(id));

    expect(await drain(sut)).toEqual(['a', 'b', 'c']);
    expect(sut.held).toBe(0);
    expect(readdirSync(dir).filter((name) => name.endsWith('.spool'))).toEqual([]);
    await sut.close();
  });

  it('keeps a file whose hand-over failed, and hands it over whole next time', async () => {
    const sut = DiskTraceSpool.open(dir, 1024 * 1024);
    sut.hold(job('a'));
    await expect(
      sut.release(async () => {
        throw new Error('Redis is down again');
      }),
    ).rejects.toThrow('Redis is down again');

    expect(sut.held).toBe(1);
    expect(await drain(sut)).toEqual(['a']);
    await sut.close();
  });

  it('loses only the torn record when a crash cut the last write short', async () => {
    const first = DiskTraceSpool.open(dir, 1024 * 1024);
    first.hold(job('a'));
    first.hold(job('b'));
    await first.close();
    const segment = readdirSync(dir).find((name) => name.endsWith('.spool'))!;
    appendFileSync(join(dir, segment), encodeSpoolRecord(job('torn')).subarray(0, 20));

    const sut = DiskTraceSpool.open(dir, 1024 * 1024);
    expect(await drain(sut)).toEqual(['a', 'b']);
    await sut.close();
  });

  it('skips a damaged record in the middle and keeps the ones after it', async () => {
    const records = ['a', 'b', 'c'].map((id) => encodeSpoolRecord(job(id)));
    records[1][records[1].length - 3] ^= 0xff;
    writeFileSync(join(dir, 'segment-1-000001.spool'), Buffer.concat(records));

    const sut = DiskTraceSpool.open(dir, 1024 * 1024);
    expect(await drain(sut)).toEqual(['a', 'c']);
    await sut.close();
  });

  it('drops and counts what does not fit in its bound', async () => {
    const size = encodeSpoolRecord(job('a')).length;
    const sut = DiskTraceSpool.open(dir, size * 2);
    expect([sut.hold(job('a')), sut.hold(job('b')), sut.hold(job('c'))]).toEqual([
      true,
      true,
      false,
    ]);
    expect(sut.droppedTotal).toBe(1);
    await sut.close();
  });

  it('refuses a directory another spool of this process holds', async () => {
    const sut = DiskTraceSpool.open(dir, 1024);
    expect(() => DiskTraceSpool.open(dir, 1024)).toThrow(/another app in this process/);
    await sut.close();
  });
});
