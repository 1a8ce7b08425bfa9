import { isSpanContextValid } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { randomFillSync } from 'node:crypto';
import { MLFLOW_TRACE_ID_PREFIX } from '../mlflow/mlflow.constants';

export interface RemoteParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** Random bytes drawn in blocks: one system call per 512 span ids instead of one per id. */
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

export function newTraceId(): string {
  return randomHex(16);
}

export function newSpanId(): string {
  return randomHex(8);
}

export function toMlflowTraceId(otelTraceId: string): string {
  return `${MLFLOW_TRACE_ID_PREFIX}${otelTraceId}`;
}

/** The caller's span from a W3C `traceparent` header, or null when absent or invalid. */
export function parseRemoteParent(header: string | string[] | undefined): RemoteParent | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const context = parseTraceParent(value.trim());
  if (!context || !isSpanContextValid(context)) return null;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    sampled: (context.traceFlags & 1) === 1,
  };
}

/** A W3C `traceparent` naming our span, so callers can continue the trace. */
export function formatTraceParent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}
