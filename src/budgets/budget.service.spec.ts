import type { ConfigType } from '@nestjs/config';
import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { authConfig } from '../config/auth.config';
import { RequestLedger } from '../metrics/request-ledger';
import type { RequestLedgerContext } from '../metrics/request-ledger.context';
import type { RouteTableService } from '../routing/route-table.service';
import type { Budget } from '../routing/routes-file.schema';
import { BudgetService } from './budget.service';

const CHAT = 'POST /v1/chat/completions';

function setup(budgets: Record<string, Budget>) {
  type Hook = (request: object, reply: object, done: () => void) => void;
  let onResponse: Hook | undefined;
  const table = {
    current: { budgets: new Map(Object.entries(budgets)) },
  } as unknown as RouteTableService;
  const adapterHost = {
    httpAdapter: {
      getInstance: () => ({ addHook: (_: string, hook: Hook) => (onResponse = hook) }),
    },
  } as unknown as HttpAdapterHost;
  const timing = new RequestLedger();
  const timings = { find: () => timing } as unknown as RequestLedgerContext;
  const sut = new BudgetService(table, {} as ConfigType<typeof authConfig>, adapterHost, timings);
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => (headers[name] = value) };
  /** A request of `name` that cost `usd`, answered and charged. */
  const spend = async (name: string, usd: number) => {
    timing.addCost(usd - timing.costUsd);
    onResponse!({ principal: { kind: 'key', name } }, {}, () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const admit = (name: string, route = CHAT) =>
    sut.admit({ kind: 'key', name }, route, reply as unknown as FastifyReply);
  return { sut, spend, admit, headers };
}

describe(BudgetService.name, () => {
  it('says what is left, then refuses a key that spent its daily budget', async () => {
    const { sut, spend, admit, headers } = setup({ alpha: { dailyUsd: 1, monthlyUsd: 10 } });
    await sut.onModuleInit();

    await admit('alpha');
    expect(headers).toEqual({
      'x-arkgate-budget-remaining-day': '1.000000',
      'x-arkgate-budget-remaining-month': '10.000000',
    });
    await spend('alpha', 1.5);

    await expect(admit('alpha')).rejects.toMatchObject({
      status: 429,
      code: 'budget_exceeded',
      type: 'insufficient_quota',
      retryable: false,
    });
    expect(headers['x-arkgate-budget-remaining-day']).toBe('0.000000');
  });

  it('names the month when the monthly budget is the one spent', async () => {
    const { sut, spend, admit } = setup({ alpha: { monthlyUsd: 2 } });
    await sut.onModuleInit();
    await spend('alpha', 2);

    await expect(admit('alpha')).rejects.toThrow('budget of 2 USD per month');
  });

  it('applies the * budget to keys without their own, and none to routes that spend nothing', async () => {
    const { sut, spend, admit } = setup({ '*': { dailyUsd: 1 } });
    await sut.onModuleInit();
    await spend('beta', 3);

    await expect(admit('beta')).rejects.toMatchObject({ code: 'budget_exceeded' });
    await expect(admit('beta', 'GET /v1/models')).resolves.toBeUndefined();
  });
});
