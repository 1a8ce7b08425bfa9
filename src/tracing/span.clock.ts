const NANOS_PER_MILLI = 1_000_000;

/**
 * Wall-clock now in nanoseconds since the epoch, as decimal digits: the process's time origin plus
 * its monotonic clock (so a span never ends before it starts), to about a quarter microsecond (the
 * precision of their sum). Built as text: the nanoseconds since the epoch exceed what a double
 * holds exactly, and BigInt arithmetic costs more on every span.
 */
export function nowUnixNano(): string {
  const millis = performance.timeOrigin + performance.now();
  const whole = Math.floor(millis);
  const nanos = Math.min(NANOS_PER_MILLI - 1, Math.round((millis - whole) * NANOS_PER_MILLI));
  return `${whole}${String(nanos).padStart(6, '0')}`;
}

/** Nanoseconds (decimal string) to milliseconds since the epoch. */
export function nanosToMillis(nanos: string): number {
  return Number(nanos.slice(0, -6));
}
