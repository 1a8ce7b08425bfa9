/** Durations (ms) by name from a `Server-Timing` value like `upstream;dur=20.4, total;dur=21.1`. */
export function parseServerTiming(value: string | undefined): Record<string, number> {
  const durations: Record<string, number> = {};
  if (!value) return durations;
  for (const metric of value.split(',')) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.map((param) => param.trim()).find((param) => param.startsWith('dur='));
    if (name && dur) durations[name.trim()] = Number(dur.slice(4));
  }
  return durations;
}

/** Collects arkgate's own time per request (total − upstream) from sampled responses. */
export class ServerTimingSampler {
  readonly overheadMs: number[] = [];
  readonly totalMs: number[] = [];
  private seen = 0;
  missing = 0;

  constructor(private readonly every = 1) {}

  readonly onHeaders = (headers: Record<string, string>): void => {
    this.seen += 1;
    if (this.seen % this.every !== 0) return;
    const timing = parseServerTiming(headers['server-timing']);
    if (timing.total === undefined || timing.upstream === undefined) {
      this.missing += 1;
      return;
    }
    this.totalMs.push(timing.total);
    this.overheadMs.push(timing.total - timing.upstream);
  };
}
