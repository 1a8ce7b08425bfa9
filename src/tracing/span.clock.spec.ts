import { nanosToMillis, nowUnixNano } from './span.clock';

describe('span clock', () => {
  it('gives the wall clock in nanoseconds, as 19 decimal digits', () => {
    const before = Date.now();
    const sut = nowUnixNano();
    const after = Date.now();

    expect(sut).toMatch(/^\d{19}$/);
    expect(nanosToMillis(sut)).toBeGreaterThanOrEqual(before - 1);
    expect(nanosToMillis(sut)).toBeLessThanOrEqual(after + 1);
  });

  it('never goes backwards', () => {
    let previous = BigInt(nowUnixNano());
    for (let i = 0; i < 10_000; i++) {
      const now = BigInt(nowUnixNano());
      expect(now >= previous).toBe(true);
      previous = now;
    }
  });

  it('reads milliseconds back from nanoseconds', () => {
    expect(nanosToMillis('1764700000123456789')).toBe(1_764_700_000_123);
  });
});
