/**
 * The ids of the last `capacity` traces this process opened, oldest forgotten first: enough to
 * tell, without a round trip, that a trace id is one of ours before its export has begun.
 */
export class RecentTraceIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  add(traceId: string): void {
    this.ids.add(traceId);
    if (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.values().next().value!);
    }
  }

  has(traceId: string): boolean {
    return this.ids.has(traceId);
  }
}
