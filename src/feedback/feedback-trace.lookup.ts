import { setTimeout as sleep } from 'node:timers/promises';
import type { MlflowAssessmentsClient } from '../mlflow/mlflow-assessments.client';

/** What arkgate can tell about a trace id at request time. */
export type TracePresence = 'known' | 'unknown' | 'undetermined';

export interface FeedbackTraceSources {
  /** True when this process opened the trace (it may not be handed to the queue yet). */
  openedHere(traceId: string): boolean;
  /** Whether the export queue holds the trace; undefined when it cannot tell. */
  queued(traceId: string): Promise<boolean | undefined>;
  assessments: MlflowAssessmentsClient;
  /**
   * How long a trace another replica finished may wait before it is in the queue (the
   * replicas' EXPORT_HANDOFF_WAIT_MS, plus a round trip): the second look at the queue comes no
   * sooner than this after the first.
   */
  queueSettleMs?: number;
}

/**
 * Tells a trace id nobody produced from one still on its way to MLflow, cheapest source first:
 * this process, the export queue, MLflow; then, once another replica's hand-off wait is over,
 * the queue again (a trace that replica queued meanwhile) and MLflow again (one exported and
 * dropped from the queue meanwhile). `unknown` only when every look answered that it does not
 * have the trace; any doubt (Redis or MLflow down) is `undetermined`, and the feedback is
 * accepted and waited for as before.
 */
export class FeedbackTraceLookup {
  constructor(private readonly sources: FeedbackTraceSources) {}

  async presence(traceId: string): Promise<TracePresence> {
    if (this.sources.openedHere(traceId)) return 'known';
    const firstLook = performance.now();
    const queued = await this.sources.queued(traceId);
    if (queued) return 'known';
    const stored = await this.inMlflow(traceId);
    if (stored) return 'known';
    // A doubt already: looking again could not make it `unknown`.
    if (queued === undefined || stored === undefined) return 'undetermined';
    const settling = firstLook + (this.sources.queueSettleMs ?? 0) - performance.now();
    if (settling > 0) await sleep(settling);
    const queuedLater = await this.sources.queued(traceId);
    if (queuedLater !== false) return queuedLater ? 'known' : 'undetermined';
    const storedLater = await this.inMlflow(traceId);
    if (storedLater !== false) return storedLater ? 'known' : 'undetermined';
    return 'unknown';
  }

  /** True or false as MLflow answers; undefined when it does not (down, slow, an error). */
  private async inMlflow(traceId: string): Promise<boolean | undefined> {
    try {
      return (await this.sources.assessments.listAssessments(traceId)) !== undefined;
    } catch {
      return undefined;
    }
  }
}
