/**
 * Just enough of a protobuf reader to turn an OTLP `ExportTraceServiceRequest` back into data,
 * keeping each AnyValue's wire type so specs can assert how a value was encoded.
 */

export type DecodedAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: bigint }
  | { doubleValue: number }
  | { arrayValue: DecodedAnyValue[] }
  | { kvlistValue: DecodedKeyValue[] }
  | { bytesValue: Uint8Array }
  | { unset: true };

export interface DecodedKeyValue {
  key: string;
  value: DecodedAnyValue;
}

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: DecodedKeyValue[];
  events: { timeUnixNano: bigint; name: string; attributes: DecodedKeyValue[] }[];
  status: { code: number; message: string };
  flags: number;
}

export interface DecodedRequest {
  resourceSpans: {
    resource: DecodedKeyValue[];
    scopeSpans: { scope: { name: string; version: string }; spans: DecodedSpan[] }[];
  }[];
}

interface Field {
  number: number;
  varint?: bigint;
  fixed64?: Uint8Array;
  fixed32?: number;
  bytes?: Uint8Array;
}

export function decodeExportTraceRequest(bytes: Uint8Array): DecodedRequest {
  return {
    resourceSpans: repeated(bytes, 1).map((resourceSpans) => ({
      resource: repeated(single(resourceSpans, 1) ?? new Uint8Array(), 1).map(keyValue),
      scopeSpans: repeated(resourceSpans, 2).map((scopeSpans) => {
        const scope = single(scopeSpans, 1) ?? new Uint8Array();
        return {
          scope: { name: text(single(scope, 1)), version: text(single(scope, 2)) },
          spans: repeated(scopeSpans, 2).map(span),
        };
      }),
    })),
  };
}

/** Plain JS value of a decoded AnyValue (ints as numbers). */
export function plain(value: DecodedAnyValue): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return value.arrayValue.map(plain);
  if ('kvlistValue' in value)
    return Object.fromEntries(value.kvlistValue.map((kv) => [kv.key, plain(kv.value)]));
  if ('bytesValue' in value) return value.bytesValue;
  return null;
}

export function attributeMap(attributes: DecodedKeyValue[]): Record<string, DecodedAnyValue> {
  return Object.fromEntries(attributes.map((kv) => [kv.key, kv.value]));
}

function span(bytes: Uint8Array): DecodedSpan {
  const fields = readFields(bytes);
  const status = single(bytes, 15) ?? new Uint8Array();
  return {
    traceId: hex(single(bytes, 1)),
    spanId: hex(single(bytes, 2)),
    parentSpanId: hex(single(bytes, 4)),
    name: text(single(bytes, 5)),
    kind: Number(fields.find((f) => f.number === 6)?.varint ?? 0n),
    startTimeUnixNano: fixed64(fields.find((f) => f.number === 7)?.fixed64),
    endTimeUnixNano: fixed64(fields.find((f) => f.number === 8)?.fixed64),
    attributes: repeated(bytes, 9).map(keyValue),
    events: repeated(bytes, 11).map((event) => ({
      timeUnixNano: fixed64(readFields(event).find((f) => f.number === 1)?.fixed64),
      name: text(single(event, 2)),
      attributes: repeated(event, 3).map(keyValue),
    })),
    status: {
      code: Number(readFields(status).find((f) => f.number === 3)?.varint ?? 0n),
      message: text(single(status, 2)),
    },
    flags: fields.find((f) => f.number === 16)?.fixed32 ?? 0,
  };
}

function keyValue(bytes: Uint8Array): DecodedKeyValue {
  return { key: text(single(bytes, 1)), value: anyValue(single(bytes, 2) ?? new Uint8Array()) };
}

function anyValue(bytes: Uint8Array): DecodedAnyValue {
  const field = readFields(bytes)[0];
  if (!field) return { unset: true };
  switch (field.number) {
    case 1:
      return { stringValue: text(field.bytes) };
    case 2:
      return { boolValue: field.varint === 1n };
    case 3:
      return { intValue: BigInt.asIntN(64, field.varint ?? 0n) };
    case 4:
      return { doubleValue: Buffer.from(field.fixed64 ?? new Uint8Array(8)).readDoubleLE(0) };
    case 5:
      return { arrayValue: repeated(field.bytes ?? new Uint8Array(), 1).map(anyValue) };
    case 6:
      return { kvlistValue: repeated(field.bytes ?? new Uint8Array(), 1).map(keyValue) };
    case 7:
      return { bytesValue: field.bytes ?? new Uint8Array() };
    default:
      throw new Error(`unknown AnyValue field ${field.number}`);
  }
}

function repeated(bytes: Uint8Array, number: number): Uint8Array[] {
  return readFields(bytes)
    .filter((field) => field.number === number && field.bytes)
    .map((field) => field.bytes as Uint8Array);
}

function single(bytes: Uint8Array, number: number): Uint8Array | undefined {
  return repeated(bytes, number)[0];
}

function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const tag = Number(varint());
    const number = tag >>> 3;
    switch (tag & 7) {
      case 0:
        fields.push({ number, varint: varint() });
        break;
      case 1:
        fields.push({ number, fixed64: bytes.subarray(pos, pos + 8) });
        pos += 8;
        break;
      case 2: {
        const length = Number(varint());
        fields.push({ number, bytes: bytes.subarray(pos, pos + length) });
        pos += length;
        break;
      }
      case 5:
        fields.push({ number, fixed32: Buffer.from(bytes.subarray(pos, pos + 4)).readUInt32LE(0) });
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${tag & 7}`);
    }
  }
  return fields;
}

function fixed64(bytes: Uint8Array | undefined): bigint {
  return bytes ? Buffer.from(bytes).readBigUInt64LE(0) : 0n;
}

function text(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('utf8') : '';
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('hex') : '';
}
