import type { RedisTopology } from '../config/redis-topology';
import {
  closeRedis,
  createRequestPathRedis,
  whenReady,
  type RedisClient,
} from '../jobs/redis-connection.factory';

/** USD spent by one API key in the current day and month. */
export interface Spent {
  day: number;
  month: number;
}

/** The periods a charge counts in, as key parts (UTC): `2026-12-02`, `2026-12`. */
export interface BudgetPeriods {
  day: string;
  month: string;
}

export interface BudgetStore {
  /** Resolves once the store can answer, or after `timeoutMs`; never rejects. */
  connected(timeoutMs: number): Promise<void>;
  spent(name: string, periods: BudgetPeriods): Promise<Spent>;
  charge(name: string, periods: BudgetPeriods, usd: number): Promise<void>;
  close(): Promise<void>;
}

const DAY_TTL_SECONDS = 2 * 86_400;
const MONTH_TTL_SECONDS = 32 * 86_400;
const keyOf = (name: string, period: string) => `arkgate:budget:v1:${name}:${period}`;
// On a Cluster both periods of a key share one hash slot (braces), so MGET and MULTI work there.
const clusterKeyOf = (name: string, period: string) => `arkgate:budget:v1:{${name}}:${period}`;

/** Shared by every replica: one counter per key and period, expiring after its period. */
export class RedisBudgetStore implements BudgetStore {
  private readonly redis: RedisClient;
  private readonly keyOf: (name: string, period: string) => string;

  constructor(topology: RedisTopology) {
    this.redis = createRequestPathRedis(topology, 'budget', 500);
    this.keyOf = topology.kind === 'cluster' ? clusterKeyOf : keyOf;
  }

  connected(timeoutMs: number): Promise<void> {
    return whenReady(this.redis, timeoutMs);
  }

  async spent(name: string, periods: BudgetPeriods): Promise<Spent> {
    const [day, month] = await this.redis.mget(
      this.keyOf(name, periods.day),
      this.keyOf(name, periods.month),
    );
    return { day: Number(day ?? 0), month: Number(month ?? 0) };
  }

  async charge(name: string, periods: BudgetPeriods, usd: number): Promise<void> {
    const day = this.keyOf(name, periods.day);
    const month = this.keyOf(name, periods.month);
    await this.redis
      .multi()
      .incrbyfloat(day, usd)
      .expire(day, DAY_TTL_SECONDS)
      .incrbyfloat(month, usd)
      .expire(month, MONTH_TTL_SECONDS)
      .exec();
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}

/** Without Redis: this process's own counts (one replica, lost on restart). */
export class MemoryBudgetStore implements BudgetStore {
  private readonly totals = new Map<string, number>();

  async connected(): Promise<void> {}

  async spent(name: string, periods: BudgetPeriods): Promise<Spent> {
    return {
      day: this.totals.get(keyOf(name, periods.day)) ?? 0,
      month: this.totals.get(keyOf(name, periods.month)) ?? 0,
    };
  }

  async charge(name: string, periods: BudgetPeriods, usd: number): Promise<void> {
    for (const period of [periods.day, periods.month]) {
      const key = keyOf(name, period);
      this.totals.set(key, (this.totals.get(key) ?? 0) + usd);
    }
  }

  async close(): Promise<void> {
    this.totals.clear();
  }
}
