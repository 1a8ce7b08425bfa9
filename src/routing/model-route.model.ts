import type { Budget, FailureKind, RoutePrice } from './routes-file.schema';

/** One place a routed call can go: a model at a base URL, with the key for it. */
export interface RouteTarget {
  /** Unique across the table: the trace, the `x-arkgate-target` header and the metrics name it. */
  id: string;
  model: string;
  baseUrl: string;
  /** The base URL's host (`server.address` on the span). */
  host: string;
  apiKey: string;
  weight: number;
  priority: number;
  price?: RoutePrice;
}

/** What a `model` a caller sends resolves to. */
export interface ModelRoute {
  alias: string;
  /** Empty when the alias is itself a model at ARK_BASE_URL (a price, no routing). */
  targets: RouteTarget[];
  /** The upstream client's own retries per target attempt. */
  retries: number;
  fallbackOn: ReadonlySet<FailureKind>;
  price?: RoutePrice;
}

export interface BreakerSettings {
  failures: number;
  cooldownMs: number;
}

export interface RouteTable {
  routes: ReadonlyMap<string, ModelRoute>;
  breaker: BreakerSettings;
  /** By API key name; `*` for every key without its own. */
  budgets: ReadonlyMap<string, Budget>;
}
