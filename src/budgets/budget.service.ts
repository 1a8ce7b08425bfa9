import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Principal } from '../auth/principal.model';
import { GatewayError } from '../common/errors/gateway.error';
import { authConfig } from '../config/auth.config';
import { ThrottledLogger } from '../logging/throttled.logger';
import { RequestLedgerContext } from '../metrics/request-ledger.context';
import { RouteTableService } from '../routing/route-table.service';
import type { Budget } from '../routing/routes-file.schema';
import { budgetPeriods, secondsUntilReset } from './budget.periods';
import { MemoryBudgetStore, RedisBudgetStore, type BudgetStore } from './budget.store';

/** The routes that call a model, and so spend budget. */
const BUDGETED_ROUTES = new Set([
  'POST /v1/chat/completions',
  'POST /v1/chat',
  'POST /v1/chat/stream',
  'GET /v1/chat/stream',
  'POST /v1/responses',
  'POST /v1/embeddings',
]);
const USD = (value: number) => value.toFixed(6);
const LOG_EVERY_MS = 30_000;
const CONNECT_WAIT_MS = 2_000;

/**
 * Per-API-key spending limits in USD per UTC day and month (the routes file's `budgets`, at its
 * prices), counted in Redis across replicas. A key over a limit is refused before the call (429
 * `budget_exceeded`); every answer on a budgeted route says what is left. Each request's cost is
 * charged when its answer is complete. A store that fails lets requests through and is logged.
 */
@Injectable()
export class BudgetService implements OnModuleInit, OnApplicationShutdown {
  private readonly failures = new ThrottledLogger(BudgetService.name, LOG_EVERY_MS);
  private store?: BudgetStore;

  constructor(
    private readonly table: RouteTableService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() private readonly timings?: RequestLedgerContext,
  ) {}

  async onModuleInit(): Promise<void> {
    // With budgets configured, the first requests are counted too.
    if (this.table.current.budgets.size > 0) await this.storeFor().connected(CONNECT_WAIT_MS);
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onResponse', (request, _reply, done) => {
      const principal = request.principal;
      const cost = this.timings?.find(request)?.costUsd ?? 0;
      if (principal && cost > 0 && this.budgetOf(principal)) void this.charge(principal, cost);
      done();
    });
  }

  /** Refuses a key over its budget (429); sets the remaining budget headers. */
  async admit(principal: Principal, route: string, reply: FastifyReply): Promise<void> {
    const budget = this.budgetOf(principal);
    if (!budget || !BUDGETED_ROUTES.has(route)) return;
    const now = new Date();
    let spent;
    try {
      spent = await this.storeFor().spent(principal.name, budgetPeriods(now));
    } catch (error) {
      this.logFailure(error);
      return;
    }
    const over: ('day' | 'month')[] = [];
    if (budget.dailyUsd !== undefined) {
      void reply.header(
        'x-arkgate-budget-remaining-day',
        USD(Math.max(0, budget.dailyUsd - spent.day)),
      );
      if (spent.day >= budget.dailyUsd) over.push('day');
    }
    if (budget.monthlyUsd !== undefined) {
      void reply.header(
        'x-arkgate-budget-remaining-month',
        USD(Math.max(0, budget.monthlyUsd - spent.month)),
      );
      if (spent.month >= budget.monthlyUsd) over.push('month');
    }
    if (over.length === 0) return;
    const period = over.includes('month') ? 'month' : 'day';
    const limit = period === 'day' ? budget.dailyUsd! : budget.monthlyUsd!;
    throw new GatewayError(
      `API key "${principal.name}" has used its budget of ${limit} USD per ${period}; it resets at the start of the next UTC ${period}`,
      {
        status: 429,
        code: 'budget_exceeded',
        type: 'insufficient_quota',
        retryAfter: String(secondsUntilReset(now, period)),
        retryable: false,
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }

  private async charge(principal: Principal, usd: number): Promise<void> {
    try {
      await this.storeFor().charge(principal.name, budgetPeriods(new Date()), usd);
    } catch (error) {
      this.logFailure(error);
    }
  }

  private budgetOf(principal: Principal): Budget | undefined {
    const budgets = this.table.current.budgets;
    return budgets.get(principal.name) ?? budgets.get('*');
  }

  /** Opened at start when there are budgets, or on first use after a reload added some. */
  private storeFor(): BudgetStore {
    this.store ??= this.config.redis
      ? new RedisBudgetStore(this.config.redis)
      : new MemoryBudgetStore();
    return this.store;
  }

  private logFailure(error: unknown): void {
    this.failures.warn(`Budget store unavailable (${String(error)}); requests are let through`);
  }
}
