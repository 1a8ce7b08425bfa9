import { Injectable, Optional } from '@nestjs/common';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import { MetricsService } from '../metrics/metrics.service';
import { RequestLedgerContext } from '../metrics/request-ledger.context';
import { Tracer } from '../tracing/tracer';
import { CircuitBreaker } from './circuit.breaker';
import type { ModelRoute, RouteTarget } from './model-route.model';
import { RouteTableService } from './route-table.service';
import { ROUTE_ATTRIBUTES } from './routing.constants';
import { planTargets } from './target.planner';
import { failureKind } from './upstream-failure.classifier';

const BREAKER_VALUE = { closed: 0, open: 1, half_open: 2 } as const;

export interface Routed<T> {
  result: T;
  target: RouteTarget;
}

/**
 * Calls a model alias's targets one after the other until one answers: in planned order
 * (priority, then weight), skipping targets whose breaker is open, moving on only after a
 * failure the route falls back on. The last failure is the caller's answer; when every target is
 * out, a 503 at once, without an upstream call. Says which target served the call (response
 * header, root span).
 */
@Injectable()
export class ModelRouter {
  private breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly table: RouteTableService,
    private readonly tracer: Tracer,
    @Optional() private readonly timings?: RequestLedgerContext,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    // Breakers follow the targets across reloads; a target that is gone takes its breaker along.
    table.onReload((current) => {
      const ids = new Set(this.allTargets().map((target) => target.id));
      this.breakers = new Map([...this.breakers].filter(([id]) => ids.has(id)));
      for (const breaker of this.breakers.values()) breaker.update(current.breaker);
    });
    metrics?.addLabeledGauge(
      'arkgate_route_breaker_state',
      'Breaker of each alias target: 0 closed, 1 open (skipped), 2 half open (one trial call)',
      ['route', 'target'],
      () =>
        [...this.table.current.routes.values()].flatMap((route) =>
          route.targets.map((target) => ({
            labels: { route: route.alias, target: target.id },
            value: BREAKER_VALUE[this.breaker(target).state],
          })),
        ),
    );
  }

  /** The alias's route when it has targets; undefined for a model name that is not routed. */
  resolve(model: string): ModelRoute | undefined {
    const route = this.table.resolve(model);
    return route && route.targets.length > 0 ? route : undefined;
  }

  /** The aliases that route (have targets), in the order of the routes file. */
  aliases(): string[] {
    return [...this.table.current.routes.values()]
      .filter((route) => route.targets.length > 0)
      .map((route) => route.alias);
  }

  async run<T>(
    route: ModelRoute,
    attempt: (target: RouteTarget) => Promise<T>,
  ): Promise<Routed<T>> {
    const skipped: RouteTarget[] = [];
    let tried = 0;
    let lastError: unknown;
    const plan = planTargets(route.targets);
    for (const [index, target] of plan.entries()) {
      if (!this.breaker(target).tryAcquire()) {
        skipped.push(target);
        continue;
      }
      tried += 1;
      const outcome = await this.attempt(route, target, attempt);
      if ('result' in outcome) return outcome;
      lastError = outcome.error;
      if (!this.fallsBack(route, outcome.error) || index === plan.length - 1) break;
      this.metrics?.routeFallbacks.inc({ route: route.alias, target: target.id });
    }
    if (tried === 0) throw this.allOut(route, skipped);
    throw lastError;
  }

  /** Every target is out (breaker open, or its one trial call under way): fail fast. */
  private allOut(route: ModelRoute, skipped: RouteTarget[]): GatewayError {
    const reopensAt = Math.min(...skipped.map((target) => this.breaker(target).reopensAt));
    const seconds = Math.max(1, Math.ceil((reopensAt - Date.now()) / 1000));
    return new GatewayError(
      `Every target of "${route.alias}" failed repeatedly and is out for now (circuit breaker); ` +
        `retry in ${seconds} s`,
      {
        status: 503,
        code: GatewayErrorCode.UpstreamUnavailable,
        type: 'service_unavailable_error',
        retryAfter: String(seconds),
        retryable: false,
      },
    );
  }

  private async attempt<T>(
    route: ModelRoute,
    target: RouteTarget,
    attempt: (target: RouteTarget) => Promise<T>,
  ): Promise<Routed<T> | { error: unknown }> {
    const breaker = this.breaker(target);
    const labels = { route: route.alias, target: target.id };
    try {
      const result = await attempt(target);
      breaker.succeeded();
      this.metrics?.routeAttempts.inc({ ...labels, outcome: 'ok' });
      this.markServed(route, target);
      return { result, target };
    } catch (error) {
      if (failureKind(error)) breaker.failed();
      else breaker.released();
      this.metrics?.routeAttempts.inc({ ...labels, outcome: 'error' });
      return { error };
    }
  }

  private fallsBack(route: ModelRoute, error: unknown): boolean {
    const kind = failureKind(error);
    return kind !== undefined && route.fallbackOn.has(kind);
  }

  private markServed(route: ModelRoute, target: RouteTarget): void {
    const timing = this.timings?.current();
    if (timing) timing.servedBy = target.id;
    this.tracer.currentRoot()?.setAttributes({
      [ROUTE_ATTRIBUTES.alias]: route.alias,
      [ROUTE_ATTRIBUTES.target]: target.id,
    });
  }

  private breaker(target: RouteTarget): CircuitBreaker {
    let breaker = this.breakers.get(target.id);
    if (!breaker) {
      breaker = new CircuitBreaker(this.table.current.breaker);
      this.breakers.set(target.id, breaker);
    }
    return breaker;
  }

  private allTargets(): RouteTarget[] {
    return [...this.table.current.routes.values()].flatMap((route) => route.targets);
  }
}
