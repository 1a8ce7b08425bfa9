import type { BudgetPeriods } from './budget.store';

/** The UTC day and month `now` falls in. */
export function budgetPeriods(now: Date): BudgetPeriods {
  const iso = now.toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** Seconds until the UTC day (or month) of `now` is over. */
export function secondsUntilReset(now: Date, period: 'day' | 'month'): number {
  const next =
    period === 'day'
      ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
      : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}
