/** Counts of one key in one fixed one-minute window. */
export interface WindowCounts {
  /** False when the request was refused (a limit already reached); it was not counted then. */
  allowed: boolean;
  requests: number;
  tokens: number;
}

/** Where per-key counters live: Redis (shared by replicas) or memory (one process). */
export interface RateLimitStore {
  /** Counts one request unless `rpm` requests or `tpm` tokens were already used (0 = no limit). */
  hit(name: string, windowStart: number, rpm: number, tpm: number): Promise<WindowCounts>;
  /** Adds reported usage to the window in effect when the call ended. */
  addTokens(name: string, windowStart: number, tokens: number): Promise<void>;
}

/** Length of a window; the limits are per minute. */
export const WINDOW_MS = 60_000;
