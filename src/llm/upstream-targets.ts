import { Inject, Injectable, Optional } from '@nestjs/common';
import type OpenAI from 'openai';
import { ModelRouter } from '../routing/model.router';
import { RouteTableService } from '../routing/route-table.service';
import { RequestLedgerContext } from '../metrics/request-ledger.context';
import { routeSpanAttributes } from '../routing/routing.constants';
import { ArkClientFactory } from './ark-client.provider';
import { requireArkClient } from './ark-client.required';
import { ARK_CLIENT } from './llm.constants';
import type { UsagePricing } from './llm-span.attributes';

/** Where one upstream call goes: the client, the model ModelArk is asked for, what to record. */
export interface UpstreamTarget {
  client: OpenAI;
  model: string;
  /** Added to the call's LLM span (alias, target, host for a routed call). */
  spanAttributes: Record<string, string>;
  /** The price from the routes file (the span's `mlflow.llm.cost`) and the request's ledger. */
  pricing: UsagePricing;
}

/**
 * Sends a call for a model name where it belongs: a plain model to ARK_BASE_URL with ARK_API_KEY
 * (and its price, when the routes file has one), an alias to its targets in turn.
 */
@Injectable()
export class UpstreamTargets {
  constructor(
    @Inject(ARK_CLIENT) private readonly client: OpenAI | null,
    private readonly router: ModelRouter,
    private readonly table: RouteTableService,
    private readonly clients: ArkClientFactory,
    @Optional() private readonly timings?: RequestLedgerContext,
  ) {}

  get configured(): boolean {
    return this.client !== null;
  }

  async call<T>(model: string, send: (target: UpstreamTarget) => Promise<T>): Promise<T> {
    const route = this.table.resolve(model);
    if (!route || route.targets.length === 0) {
      return send({
        client: requireArkClient(this.client),
        model,
        spanAttributes: {},
        pricing: { price: route?.price, ledger: this.timings?.current() },
      });
    }
    const { result } = await this.router.run(route, (target) =>
      send({
        client: this.clients.forTarget({ ...target, maxRetries: route.retries }),
        model: target.model,
        spanAttributes: routeSpanAttributes(route.alias, target),
        pricing: { price: target.price, ledger: this.timings?.current() },
      }),
    );
    return result;
  }

  /** The process's client for ARK_BASE_URL; a 503 saying what to set when there is none. */
  defaultClient(): OpenAI {
    return requireArkClient(this.client);
  }

  /** The routes file's aliases (for the model list). */
  aliases(): string[] {
    return this.router.aliases();
  }
}
