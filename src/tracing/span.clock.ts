import { hrTime, hrTimeToNanoseconds } from '@opentelemetry/core';

/** Wall-clock now in nanoseconds since the epoch, as exact decimal digits. */
export function nowUnixNano(): string {
  return hrTimeToNanoseconds(hrTime()).toString();
}

/** Nanoseconds (decimal string) to milliseconds since the epoch. */
export function nanosToMillis(nanos: string): number {
  return Number(BigInt(nanos) / 1_000_000n);
}
