import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import type { TraceExportJob } from './trace-export-job.model';
import type { TraceHold } from './trace-hold.model';
import { decodeSpoolRecords, encodeSpoolRecord } from './trace-spool.codec';

const SEGMENT_BYTES = 16 * 1024 * 1024;
const SYNC_INTERVAL_MS = 100;
const RELEASE_CHUNK = 500;
const LOCK_FILE = 'spool.lock';
const SEGMENT = /^segment-\d+-\d+\.spool$/;
/** Directories spooled to by this process (a second app in one process must not share one). */
const openHere = new Set<string>();

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
  private fd?: number;
  private segmentBytes = 0;
  private segmentSeq = 0;
  private bytes = 0;
  private records = 0;
  private syncTimer?: NodeJS.Timeout;
  droppedTotal = 0;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /** Opens (creating) the directory and counts what an earlier process left in it. */
  static open(dir: string, maxBytes: number): DiskTraceSpool {
    const spool = new DiskTraceSpool(resolve(dir), maxBytes);
    fs.mkdirSync(spool.dir, { recursive: true });
    spool.lock();
    for (const name of spool.segments()) {
      const data = fs.readFileSync(join(spool.dir, name));
      spool.bytes += data.length;
      spool.records += decodeSpoolRecords(data).records.length;
    }
    if (spool.records > 0) {
      spool.logger.warn(
        `${spool.records} trace(s) left in ${spool.dir} by an earlier run; queued when Redis answers`,
      );
    }
    return spool;
  }

  get held(): number {
    return this.records;
  }

  hold(job: TraceExportJob): boolean {
    try {
      const record = encodeSpoolRecord(job);
      if (this.bytes + record.length > this.maxBytes)
        return this.drop(`spool full (${this.maxBytes} bytes)`);
      if (this.fd === undefined || this.segmentBytes >= SEGMENT_BYTES) this.startSegment();
      fs.writeSync(this.fd!, record);
      this.segmentBytes += record.length;
      this.bytes += record.length;
      this.records += 1;
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
    for (const name of this.segments()) {
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
      await fs.promises.unlink(path);
      this.bytes -= data.length;
      this.records -= records.length;
      released += records.length;
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
    if (this.records > 0) {
      this.logger.warn(`${this.records} trace(s) stay spooled in ${this.dir} for the next start`);
    }
  }

  private drop(reason: string): false {
    this.droppedTotal += 1;
    if (this.droppedTotal === 1 || this.droppedTotal % 100 === 0) {
      this.logger.error(`Trace dropped: ${reason}; ${this.droppedTotal} dropped so far`);
    }
    return false;
  }

  private startSegment(): void {
    this.endSegment();
    this.segmentSeq += 1;
    const name = `segment-${Date.now()}-${String(this.segmentSeq).padStart(6, '0')}.spool`;
    this.fd = fs.openSync(join(this.dir, name), 'a');
    this.segmentBytes = 0;
  }

  private endSegment(): void {
    if (this.fd === undefined) return;
    this.sync();
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** The batched sync, off the event loop. */
  private syncSoon(): void {
    this.syncTimer = undefined;
    if (this.fd === undefined) return;
    fs.fdatasync(this.fd, (error) => {
      if (error && error.code !== 'EBADF') this.logger.warn(`fdatasync failed: ${error.message}`);
    });
  }

  /** The sync before a segment is closed (shutdown, hand-over). */
  private sync(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    if (this.fd === undefined) return;
    try {
      fs.fdatasyncSync(this.fd);
    } catch (error) {
      this.logger.warn(`fdatasync failed: ${describe(error)}`);
    }
  }

  /** Oldest first: names sort by creation time. */
  private segments(): string[] {
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
      const pid = Number(fs.readFileSync(path, 'utf8').split(':')[0]);
      // A lock holding this process's own pid was left by an earlier process (a container
      // restarted as pid 1 again): stale.
      if (pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `${this.dir} is the spool of running process ${pid}: give each process its own EXPORT_SPOOL_DIR`,
        );
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    fs.writeFileSync(path, this.lockId);
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
