import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceHold } from './trace-hold.model';
import { countSpoolRecords, decodeSpoolRecords, encodeSpoolRecord } from './trace-spool.codec';

const SEGMENT_BYTES = 16 * 1024 * 1024;
const SYNC_INTERVAL_MS = 100;
const RELEASE_CHUNK = 500;
const LOCK_FILE = 'spool.lock';
const SEGMENT = /^segment-\d+-\d+\.spool$/;
/** Directories spooled to by this process (a second app in one process must not share one). */
const openHere = new Set<string>();

interface Segment {
  bytes: number;
  records: number;
}

/**
 * Traces that wait for Redis, appended to files in a directory of this process's own. Each
 * record is written with one write(2) as the trace finishes, so it survives a kill -9 of the
 * process; the files are fdatasync'ed in batches every 100 ms, for a crash of the machine. A new
 * process finds what an earlier one left and hands it on once Redis is back. Bounded in bytes.
 */
export class DiskTraceSpool implements TraceHold {
  readonly kind = 'disk' as const;
  private readonly logger = new Logger('TraceSpool');
  private readonly lockId = `${process.pid}:${randomUUID()}`;
  /** What each segment file holds, the one being written included. */
  private readonly segments = new Map<string, Segment>();
  private current?: { name: string; fd: number };
  private segmentSeq = 0;
  private syncTimer?: NodeJS.Timeout;
  droppedTotal = 0;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /** Opens (creating) the directory, takes its lock, and counts what an earlier process left. */
  static open(dir: string, maxBytes: number): DiskTraceSpool {
    const spool = new DiskTraceSpool(resolve(dir), maxBytes);
    fs.mkdirSync(spool.dir, { recursive: true });
    spool.lock();
    for (const name of spool.segmentFiles()) {
      const data = fs.readFileSync(join(spool.dir, name));
      spool.segments.set(name, { bytes: data.length, records: countSpoolRecords(data) });
    }
    if (spool.held > 0) {
      spool.logger.warn(
        `${spool.held} trace(s) left in ${spool.dir} by an earlier run; queued when Redis answers`,
      );
    }
    return spool;
  }

  /** True when `dir` holds segments an earlier process left (without taking the lock). */
  static hasLeftovers(dir: string): boolean {
    try {
      return fs.readdirSync(resolve(dir)).some((name) => SEGMENT.test(name));
    } catch {
      return false;
    }
  }

  get held(): number {
    let records = 0;
    for (const segment of this.segments.values()) records += segment.records;
    return records;
  }

  private get bytes(): number {
    let bytes = 0;
    for (const segment of this.segments.values()) bytes += segment.bytes;
    return bytes;
  }

  hold(job: TraceExportJob): boolean {
    let record: Buffer;
    try {
      record = encodeSpoolRecord(job);
    } catch (error) {
      return this.drop(`cannot serialize trace ${job.trace.traceId}: ${describe(error)}`);
    }
    if (this.bytes + record.length > this.maxBytes) {
      return this.drop(`spool full (${this.maxBytes} bytes)`);
    }
    try {
      const current = this.writable();
      const segment = this.segments.get(current.name)!;
      const written = fs.writeSync(current.fd, record);
      if (written !== record.length) {
        // A short write (disk full): cut it off again, so the file stays whole records.
        fs.ftruncateSync(current.fd, segment.bytes);
        return this.drop(`short write to ${this.dir} (${written} of ${record.length} bytes)`);
      }
      segment.bytes += record.length;
      segment.records += 1;
      this.syncTimer ??= setTimeout(() => this.syncSoon(), SYNC_INTERVAL_MS);
      return true;
    } catch (error) {
      return this.drop(`cannot write to ${this.dir}: ${describe(error)}`);
    }
  }

  async release(
    forward: (jobs: TraceExportJob[]) => Promise<void>,
    deadline = Infinity,
  ): Promise<number> {
    this.endSegment();
    let released = 0;
    for (const name of this.segmentFiles()) {
      if (Date.now() >= deadline) break;
      const path = join(this.dir, name);
      const data = await fs.promises.readFile(path);
      const { records, skippedBytes } = decodeSpoolRecords<TraceExportJob>(data);
      if (skippedBytes > 0) {
        this.logger.warn(`${name}: ${skippedBytes} damaged byte(s) skipped (a torn write)`);
      }
      // A segment goes only once all of it was handed over; one handed over twice is harmless
      // (job ids are trace ids, and every MLflow write is an upsert).
      for (let i = 0; i < records.length; i += RELEASE_CHUNK) {
        await forward(records.slice(i, i + RELEASE_CHUNK));
      }
      this.segments.delete(name);
      released += records.length;
      await fs.promises.rm(path, { force: true });
    }
    return released;
  }

  async close(): Promise<void> {
    this.endSegment();
    openHere.delete(this.dir);
    try {
      fs.rmSync(join(this.dir, LOCK_FILE), { force: true });
    } catch {
      // The lock is checked against live processes anyway.
    }
    if (this.held > 0) {
      this.logger.warn(`${this.held} trace(s) stay spooled in ${this.dir} for the next start`);
    }
  }

  private drop(reason: string): false {
    this.droppedTotal += 1;
    if (this.droppedTotal === 1 || this.droppedTotal % 100 === 0) {
      this.logger.error(`Trace dropped: ${reason}; ${this.droppedTotal} dropped so far`);
    }
    return false;
  }

  /** The segment being written, a new one when there is none or it is full. */
  private writable(): { name: string; fd: number } {
    const current = this.current;
    if (current && this.segments.get(current.name)!.bytes < SEGMENT_BYTES) return current;
    this.endSegment();
    this.segmentSeq += 1;
    const name = `segment-${Date.now()}-${String(this.segmentSeq).padStart(6, '0')}.spool`;
    this.current = { name, fd: fs.openSync(join(this.dir, name), 'a') };
    this.segments.set(name, { bytes: 0, records: 0 });
    return this.current;
  }

  private endSegment(): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    try {
      fs.fdatasyncSync(current.fd);
    } catch (error) {
      this.logger.warn(`fdatasync failed: ${describe(error)}`);
    }
    fs.closeSync(current.fd);
  }

  /** The batched sync, off the event loop. */
  private syncSoon(): void {
    this.syncTimer = undefined;
    if (!this.current) return;
    fs.fdatasync(this.current.fd, (error) => {
      if (error && error.code !== 'EBADF') this.logger.warn(`fdatasync failed: ${error.message}`);
    });
  }

  /** Oldest first: names sort by creation time. */
  private segmentFiles(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((name) => SEGMENT.test(name))
      .sort();
  }

  /** One process per directory: two writers would hand the same files over twice and race. */
  private lock(): void {
    const path = join(this.dir, LOCK_FILE);
    if (openHere.has(this.dir)) {
      throw new Error(`${this.dir} is already the spool of another app in this process`);
    }
    try {
      fs.writeFileSync(path, this.lockId, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(path, 'utf8').split(':')[0]);
      // A lock holding this process's own pid was left by an earlier process (a container
      // restarted as pid 1 again): stale, like one of a process that is gone.
      if (pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `${this.dir} is the spool of running process ${pid}: give each process its own EXPORT_SPOOL_DIR`,
        );
      }
      const claim = `${path}.${this.lockId.replace(':', '-')}`;
      fs.writeFileSync(claim, this.lockId);
      fs.renameSync(claim, path);
    }
    openHere.add(this.dir);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
