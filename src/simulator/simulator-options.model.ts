export interface SimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Delay before the first byte of every answer. */
  latencyMs: number;
  /** Delay between two streamed chunks. */
  tokenDelayMs: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Keep a log of requests for tests; benchmarks switch it off so memory stays flat. */
  logRequests: boolean;
  /** Oldest entries are dropped past this many, so a long-running demo cannot grow without bound. */
  maxLoggedRequests: number;
  /** Larger request bodies get a 413. */
  maxBodyBytes: number;
}

export const DEFAULT_SIMULATOR_OPTIONS: SimulatorOptions = {
  host: '127.0.0.1',
  port: 0,
  latencyMs: 0,
  tokenDelayMs: 0,
  logRequests: true,
  maxLoggedRequests: 10_000,
  maxBodyBytes: 10 * 1024 * 1024,
};
