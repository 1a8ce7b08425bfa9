import { budgetPeriods, secondsUntilReset } from './budget.periods';

describe(budgetPeriods.name, () => {
  it('names the UTC day and month', () => {
    expect(budgetPeriods(new Date('2026-12-31T23:59:59Z'))).toEqual({
      day: '2026-12-31',
      month: '2026-12',
    });
  });
});

describe(secondsUntilReset.name, () => {
  it('counts the seconds to the next UTC midnight, and to the first of the next month', () => {
    const now = new Date('2026-12-31T23:59:00Z');

    expect(secondsUntilReset(now, 'day')).toBe(60);
    expect(secondsUntilReset(now, 'month')).toBe(60);
    expect(secondsUntilReset(new Date('2026-11-30T00:00:00Z'), 'month')).toBe(86_400);
  });
});
