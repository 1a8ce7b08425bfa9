import { z } from 'zod';

/** Failure kinds a route falls back on (the next target is tried); a caller's 4xx never is. */
export const FAILURE_KINDS = [
  'rate_limit',
  'server_error',
  'timeout',
  'connection',
  'auth',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

const price = z.strictObject({
  /** USD per 1M input tokens (uncached). */
  input: z.number().nonnegative(),
  /** USD per 1M output tokens (reasoning included). */
  output: z.number().nonnegative(),
  /** USD per 1M cached input tokens; defaults to `input`. */
  cachedInput: z.number().nonnegative().optional(),
});

const target = z.strictObject({
  /** Shown in the trace, the `x-arkgate-target` header and the metrics; default `model@host`. */
  name: z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1 to 100 printable ASCII characters, no spaces')
    .optional(),
  /** A ModelArk model id or endpoint id (ep-...). */
  model: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The environment variable holding this target's key; default ARK_API_KEY. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  /** Targets sharing a priority are load-balanced by weight (0: only when the others failed). */
  weight: z.number().nonnegative().default(1),
  /** Lower first; the next priority is tried when every target of this one failed. */
  priority: z.number().int().nonnegative().default(1),
  price: price.optional(),
});

const fallbackOn = z.array(z.enum(FAILURE_KINDS)).min(1);

const route = z.strictObject({
  /** Tried in order of priority; absent: the alias is itself a model, at ARK_BASE_URL. */
  targets: z.array(target).min(1).optional(),
  price: price.optional(),
  /** The upstream client's own retries per target attempt; default 0 with several targets. */
  retries: z.number().int().min(0).max(10).optional(),
  fallbackOn: fallbackOn.optional(),
});

const budget = z
  .strictObject({
    /** USD per UTC day. */
    dailyUsd: z.number().positive().optional(),
    /** USD per UTC calendar month. */
    monthlyUsd: z.number().positive().optional(),
  })
  .refine((value) => value.dailyUsd !== undefined || value.monthlyUsd !== undefined, {
    message: 'give dailyUsd, monthlyUsd or both',
  });

export const routesFileSchema = z.strictObject({
  /** Spending limits per API key name (`*`: every key without its own), at the prices above. */
  budgets: z.record(z.string().min(1), budget).optional(),
  fallbackOn: fallbackOn.optional(),
  breaker: z
    .strictObject({
      /** Consecutive failures that open a target's breaker. */
      failures: z.number().int().min(1).default(5),
      /** How long an open breaker keeps its target out before one trial call. */
      cooldownSeconds: z.number().positive().default(30),
    })
    .optional(),
  models: z.record(z.string().min(1), route),
});

export type RoutesFile = z.infer<typeof routesFileSchema>;
export type RoutePrice = z.infer<typeof price>;
export type Budget = z.infer<typeof budget>;
