import autocannon from 'autocannon';
import type { IncomingHttpHeaders } from 'node:http';
import { summarize, type Summary } from './stats';

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  body: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  durationS?: number;
  /** Total requests to send instead of a duration. */
  amount?: number;
  /** Called with the headers of every response (lower-case names). */
  onHeaders?: (headers: Record<string, string>) => void;
  /** Called after every response with the running count of responses. */
  onResponse?: (count: number) => void;
  /** Keep the per-request latencies (ms) in the result. */
  keepLatencies?: boolean;
}

export interface LoadResult {
  connections: number;
  /** 2xx responses. */
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Latency of 2xx responses, ms, from autocannon's float timings (its histogram rounds to 1 ms). */
  latency: Summary;
  latencies?: number[];
  errors: number;
  non2xx: number;
  timeouts: number;
}

/** One autocannon run, in this process, with exact per-request latencies. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let responses = 0;
  const started = process.hrtime.bigint();
  const onHeaders = options.onHeaders;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
        timeout: 30,
        ...(onHeaders
          ? {
              requests: [
                {
                  onResponse: (_s: number, _b: string, _c: object, headers?: IncomingHttpHeaders) =>
                    onHeaders((headers ?? {}) as Record<string, string>),
                },
              ],
            }
          : {}),
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({
          connections: options.connections,
          requests: latencies.length,
          seconds,
          requestsPerSecond: latencies.length / seconds,
          latency: summarize(latencies),
          latencies: options.keepLatencies ? latencies : undefined,
          errors: result.errors,
          non2xx: result.non2xx,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      responses += 1;
      if (status >= 200 && status < 300) latencies.push(ms);
      options.onResponse?.(responses);
    });
  });
}
