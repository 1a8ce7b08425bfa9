import { crc32 } from 'node:zlib';

/** Marks the start of every record, so a reader can find the next one after damage. */
const MAGIC = 0xa76b5331;
const HEADER_BYTES = 12;

/** One record: magic, payload length, CRC-32 of the payload, then the payload (UTF-8 JSON). */
export function encodeSpoolRecord(value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32BE(MAGIC, 0);
  record.writeUInt32BE(payload.length, 4);
  record.writeUInt32BE(crc32(payload), 8);
  payload.copy(record, HEADER_BYTES);
  return record;
}

export interface DecodedSpool<T> {
  records: T[];
  /** Bytes that did not form a whole, intact record (a torn tail, damage) and were skipped. */
  skippedBytes: number;
}

/**
 * Every intact record of a spool file, in order. A record whose header or checksum does not hold
 * (the tail torn by a crash mid-write, a damaged block) is skipped up to the next magic marker,
 * so damage costs that record and never the records after it.
 */
export function decodeSpoolRecords<T>(data: Buffer): DecodedSpool<T> {
  const records: T[] = [];
  let skippedBytes = 0;
  let offset = 0;
  while (offset < data.length) {
    const record = readRecord<T>(data, offset);
    if (record) {
      records.push(record.value);
      offset = record.next;
      continue;
    }
    const next = nextMagic(data, offset + 1);
    skippedBytes += next - offset;
    offset = next;
  }
  return { records, skippedBytes };
}

/** How many records a spool file holds, from their headers alone (no parse, no checksum). */
export function countSpoolRecords(data: Buffer): number {
  let count = 0;
  let offset = 0;
  while (offset + HEADER_BYTES <= data.length) {
    if (data.readUInt32BE(offset) !== MAGIC) {
      offset = nextMagic(data, offset + 1);
      continue;
    }
    const end = offset + HEADER_BYTES + data.readUInt32BE(offset + 4);
    if (end > data.length) break;
    count += 1;
    offset = end;
  }
  return count;
}

function readRecord<T>(data: Buffer, offset: number): { value: T; next: number } | undefined {
  if (data.length - offset < HEADER_BYTES || data.readUInt32BE(offset) !== MAGIC) return undefined;
  const length = data.readUInt32BE(offset + 4);
  const end = offset + HEADER_BYTES + length;
  if (end > data.length) return undefined;
  const payload = data.subarray(offset + HEADER_BYTES, end);
  if (crc32(payload) !== data.readUInt32BE(offset + 8)) return undefined;
  try {
    return { value: JSON.parse(payload.toString('utf8')) as T, next: end };
  } catch {
    return undefined;
  }
}

function nextMagic(data: Buffer, from: number): number {
  const marker = Buffer.allocUnsafe(4);
  marker.writeUInt32BE(MAGIC, 0);
  const found = data.indexOf(marker, from);
  return found === -1 ? data.length : found;
}
