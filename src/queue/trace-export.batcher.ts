import type { MlflowExportOutcome } from '../mlflow/mlflow-trace.exporter';
import type { FinishedTrace } from '../tracing/trace.model';
import type { TraceExportJob } from './trace-export-job.model';

export type BatchExport = (
  experimentName: string,
  traces: FinishedTrace[],
) => Promise<MlflowExportOutcome[]>;

export interface TraceExportBatcherOptions {
  /** Traces per export request at most. */
  maxTraces: number;
  /** How long the first trace of a batch waits for others. */
  maxWaitMs: number;
  /** Export requests in flight at once. */
  maxInFlight: number;
}

interface Waiting {
  trace: FinishedTrace;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface Group {
  since: number;
  items: Waiting[];
}

/**
 * Gathers the traces that queue jobs hand in one by one into batches per experiment, flushed when
 * full or when the oldest has waited `maxWaitMs`, and settles each job with its own trace's
 * outcome. The queue's concurrency bounds how many wait here.
 */
export class TraceExportBatcher {
  private readonly groups = new Map<string, Group>();
  private readonly flights = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private timerDueAt = 0;
  private draining = false;

  constructor(
    private readonly exportBatch: BatchExport,
    private readonly options: TraceExportBatcherOptions,
  ) {}

  /** Resolves with the trace's export result, or rejects with its own failure. */
  add(job: TraceExportJob): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let group = this.groups.get(job.experimentName);
      if (!group) {
        group = { since: Date.now(), items: [] };
        this.groups.set(job.experimentName, group);
      }
      group.items.push({ trace: job.trace, resolve, reject });
      this.schedule();
    });
  }

  /** Exports whatever waits now, without waiting for batches to fill, and waits for it. */
  async drain(): Promise<void> {
    this.draining = true;
    try {
      this.schedule();
      while (this.flights.size > 0 || this.groups.size > 0) {
        await Promise.race(this.flights);
        this.schedule();
      }
    } finally {
      this.draining = false;
    }
  }

  private schedule(): void {
    while (this.flights.size < this.options.maxInFlight) {
      const name = this.nextDue();
      if (name === undefined) break;
      this.launch(name);
    }
    this.arm();
  }

  /** A full group if there is one, else the oldest one that has waited long enough. */
  private nextDue(): string | undefined {
    const now = Date.now();
    let due: string | undefined;
    let dueSince = Infinity;
    for (const [name, group] of this.groups) {
      if (group.items.length >= this.options.maxTraces) return name;
      const ripe = this.draining || now - group.since >= this.options.maxWaitMs;
      if (ripe && group.since < dueSince) {
        due = name;
        dueSince = group.since;
      }
    }
    return due;
  }

  private launch(name: string): void {
    const group = this.groups.get(name)!;
    const batch = group.items.splice(0, this.options.maxTraces);
    if (group.items.length === 0) this.groups.delete(name);
    const flight = this.run(name, batch).finally(() => {
      this.flights.delete(flight);
      this.schedule();
    });
    this.flights.add(flight);
  }

  private async run(name: string, batch: Waiting[]): Promise<void> {
    let outcomes: MlflowExportOutcome[];
    try {
      outcomes = await this.exportBatch(
        name,
        batch.map((item) => item.trace),
      );
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const byId = new Map(outcomes.map((outcome) => [outcome.traceId, outcome]));
    for (const item of batch) {
      const outcome = byId.get(item.trace.traceId);
      if (!outcome) item.reject(new Error(`no export outcome for ${item.trace.traceId}`));
      else if (outcome.ok) item.resolve(outcome.result);
      else item.reject(outcome.error);
    }
  }

  /** Keeps one timer, for the oldest group's deadline; an early wake-up just re-arms it. */
  private arm(): void {
    if (this.groups.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.groups.size === 0 || this.flights.size >= this.options.maxInFlight) return;
    let oldest = Infinity;
    for (const group of this.groups.values()) oldest = Math.min(oldest, group.since);
    const dueAt = oldest + this.options.maxWaitMs;
    if (this.timer && this.timerDueAt <= dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.schedule();
      },
      Math.max(0, dueAt - Date.now()),
    );
  }
}
