export const SIMULATOR_SCENARIOS = [
  'error-400',
  'error-401',
  'error-403',
  'error-404',
  'error-429',
  'error-500',
  'error-503',
  'cut-stream',
  'malformed-stream',
  'hang',
  'fail-once',
] as const;

export type SimulatorScenario = (typeof SIMULATOR_SCENARIOS)[number];

/**
 * Per-request instructions, from the `x-simulator` header (JSON) or the body field `simulator`.
 * They never change the answer's text except through `tokens`.
 */
export interface SimulatorControl {
  scenario?: SimulatorScenario;
  /** Seconds, for the `retry-after` header of `error-429` (default 1). */
  retryAfter?: number;
  /** Milliseconds, sent as `retry-after-ms` with 429, 5xx and `fail-once`, so SDK retries run fast. */
  retryAfterMs?: number;
  /** Identifies the request across retries for `fail-once`. */
  key?: string;
  /** The scenario applies only to requests for these models (a gateway's one target failing). */
  models?: string[];
  latencyMs?: number;
  tokenDelayMs?: number;
  /** Number of content chunks (words) in the answer. */
  tokens?: number;
}
