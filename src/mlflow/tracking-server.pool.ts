/** How long a tracking server that failed is passed over before it gets requests again. */
const DEFAULT_COOLDOWN_MS = 10_000;

/**
 * The tracking servers of one MLflow deployment (several `mlflow server` processes over one
 * backend store): requests take turns over them, and a server whose last request could not be
 * delivered is skipped for a cooldown while another one answers.
 */
export class TrackingServerPool {
  readonly urls: readonly string[];
  private readonly downUntil: number[];
  private next = 0;

  constructor(
    urls: readonly string[],
    private readonly cooldownMs = DEFAULT_COOLDOWN_MS,
    private readonly now: () => number = Date.now,
  ) {
    if (urls.length === 0) throw new Error('TrackingServerPool needs at least one URL');
    this.urls = urls.map((url) => url.replace(/\/+$/, ''));
    this.downUntil = this.urls.map(() => 0);
  }

  /**
   * The order to try the servers in for one request: the next in turn first, servers in their
   * cooldown last (so a request still goes out when every server failed lately).
   */
  order(): number[] {
    const start = this.next;
    this.next = (this.next + 1) % this.urls.length;
    const rotation = this.urls.map((_, offset) => (start + offset) % this.urls.length);
    const at = this.now();
    const up = rotation.filter((index) => this.downUntil[index] <= at);
    return up.length === rotation.length
      ? up
      : [...up, ...rotation.filter((index) => this.downUntil[index] > at)];
  }

  failed(index: number): void {
    this.downUntil[index] = this.now() + this.cooldownMs;
  }

  succeeded(index: number): void {
    this.downUntil[index] = 0;
  }
}

/** `http://a:5000,http://b:5000`: the tracking servers MLFLOW_TRACKING_URI lists. */
export function splitTrackingUris(value: string): string[] {
  return value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
}
