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
   * How long a trace another replica finished may wait before it is in the queue (that
   * replica's EXPORT_HANDOFF_WAIT_MS, plus its round trip): the second look at the queue comes
   * no sooner than this after the first.
   */
  queueSettleMs?: number;
}

/**
 * Tells a trace id nobody produced from one still on its way to MLflow, cheapest source first:
 * this process, the export queue, then MLflow, then the queue again (a trace another replica
 * queued meanwhile, looked at once its hand-off wait is over). `unknown` only when the queue and MLflow both answered that they do not
 * have it; any doubt (Redis or MLflow down) is `undetermined`, and the feedback is accepted and
 * waited for as before.
 */
export class FeedbackTraceLookup {
  constructor(private readonly sources: FeedbackTraceSources) {}

  async presence(traceId: string): Promise<TracePresence> {
    if (this.sources.openedHere(traceId)) return 'known';
    const firstLook = Date.now();
    const queuedBefore = await this.sources.queued(traceId);
    if (queuedBefore) return 'known';
    const stored = await this.inMlflow(traceId);
    if (stored) return 'known';
    await settle(firstLook + (this.sources.queueSettleMs ?? 0) - Date.now());
    const queuedAfter = await this.sources.queued(traceId);
    if (queuedAfter) return 'known';
    const answered = queuedBefore === false && stored === false && queuedAfter === false;
    return answered ? 'unknown' : 'undetermined';
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

function settle(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
