import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type TokenDirection = 'input' | 'output';
/** `stale`: an expired alias served because the registry could not be reached. */
export type PromptCacheResult = 'hit' | 'miss' | 'stale';

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * arkgate's Prometheus metrics, in a registry of its own (one per app, so tests can build several).
 * Labels stay low-cardinality: routes are templates, models are the ones ModelArk answered for.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'arkgate_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'arkgate_upstream_duration_seconds',
    help: 'ModelArk call duration (to the full answer, or to the stream being accepted)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly timeToFirstToken = new Histogram({
    name: 'arkgate_time_to_first_token_seconds',
    help: 'Time from the upstream call to the first streamed chunk',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly tokens = new Counter({
    name: 'arkgate_llm_tokens_total',
    help: 'Tokens ModelArk reported, by model and direction (input = prompt, output = completion)',
    labelNames: ['model', 'direction'] as const,
    registers: [this.registry],
  });

  readonly exportFailures = new Counter({
    name: 'arkgate_export_failures_total',
    help: 'Trace export attempts that failed (retried unless permanent or out of attempts)',
    labelNames: ['permanent'] as const,
    registers: [this.registry],
  });

  readonly exportRetries = new Counter({
    name: 'arkgate_export_retries_total',
    help: 'Failed trace export attempts that are retryable',
    registers: [this.registry],
  });

  readonly exportLag = new Histogram({
    name: 'arkgate_export_lag_seconds',
    help: 'From the end of a request to its trace being stored in MLflow',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly promptCache = new Counter({
    name: 'arkgate_prompt_cache_total',
    help: 'Prompt cache look-ups by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly responseCache = new Counter({
    name: 'arkgate_response_cache_total',
    help: 'Response cache look-ups (hit, miss), answers stored, and store errors',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly routeAttempts = new Counter({
    name: 'arkgate_route_attempts_total',
    help: 'Calls to the targets of model aliases, by alias, target and outcome (ok, error)',
    labelNames: ['route', 'target', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly routeFallbacks = new Counter({
    name: 'arkgate_route_fallbacks_total',
    help: 'Times a failed target of a model alias was followed by the next one',
    labelNames: ['route', 'target'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'arkgate_process_' });
  }

  /** Records ModelArk's reported usage; missing counts are skipped. */
  observeTokens(model: string, input?: number | null, output?: number | null): void {
    if (typeof input === 'number') this.tokens.inc({ model, direction: 'input' }, input);
    if (typeof output === 'number') this.tokens.inc({ model, direction: 'output' }, output);
  }

  /** For the prompt cache: one call per look-up. */
  recordPromptCache(result: PromptCacheResult): void {
    this.promptCache.inc({ result });
  }

  /** `finishedAt`: when the request's root span ended, in ms since the epoch. */
  recordExported(finishedAt: number): void {
    this.exportLag.observe(Math.max(0, Date.now() - finishedAt) / 1000);
  }

  recordExportFailure(permanent: boolean): void {
    this.exportFailures.inc({ permanent: String(permanent) });
    if (!permanent) this.exportRetries.inc();
  }

  /** A gauge read when Prometheus scrapes (queue depth, buffered traces...). */
  addGauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  /** A gauge per label set, read when Prometheus scrapes. */
  addLabeledGauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => { labels: Record<L, string>; value: number }[],
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, value } of read()) this.set(labels, value);
      },
    });
  }

  /** A counter whose total lives elsewhere (a monotonic count read when Prometheus scrapes). */
  addCounter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
