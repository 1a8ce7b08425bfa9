import type { FinishedTrace } from '../tracing/trace.model';
import { MlflowClient } from './mlflow.client';
import { MlflowErrorCode, MlflowPath, MlflowSpansLocation } from './mlflow.constants';
import { MlflowExperimentResolver } from './mlflow-experiment.resolver';
import { MlflowExportError } from './mlflow-export.error';
import { MlflowRequestError } from './mlflow-request.error';
import { MlflowServerCapabilities } from './mlflow-server.capabilities';
import { MlflowSpanWriter } from './mlflow-span.writer';
import { MlflowTraceInfoWriter } from './mlflow-trace-info.writer';
import { OtlpTraceEncoder } from './otlp-trace.encoder';
import { TraceArtifactEncoder } from './trace-artifact.encoder';
import { TraceInfoMapper } from './trace-info.mapper';

export interface MlflowExportResult {
  traceId: string;
  experimentId: string;
  /** Where the spans went: the tracking DB via OTLP, or the `traces.json` artifact. */
  spansLocation: MlflowSpansLocation;
  /** True when StartTraceV3 wrote the trace info; false when the spans carried it, or the root is remote. */
  traceInfoWritten: boolean;
  /** Prompt versions linked through link-prompts (SQL stores only; the tag is always set). */
  linkedPromptCount: number;
}

export type MlflowExportOutcome =
  | { traceId: string; ok: true; result: MlflowExportResult }
  | { traceId: string; ok: false; error: unknown };

/** `auto`: StartTraceV3 only where OTLP cannot carry the trace info; `always`: for every trace. */
export type TraceInfoMode = 'auto' | 'always';

export interface MlflowTraceExporterOptions {
  traceInfo?: TraceInfoMode;
  /** OTLP request bodies larger than this are split (default 4 MiB). */
  maxRequestBytes?: number;
  /** Per-trace calls (StartTraceV3, link-prompts) in flight at once within a batch. */
  perTraceConcurrency?: number;
  otlp?: OtlpTraceEncoder;
  capabilities?: MlflowServerCapabilities;
}

/**
 * Writes finished traces to MLflow. The spans of a whole batch go in one OTLP request; servers
 * that derive the trace info from spans (3.14+) need nothing more. Older ones get StartTraceV3 per
 * trace, servers without OTLP the `traces.json` artifact, and prompt links follow where the server
 * has the route. Every step is an upsert keyed by the trace id, so a retried export never
 * duplicates anything, and every trace of a batch succeeds or fails on its own.
 */
export class MlflowTraceExporter {
  private readonly resolvers = new Map<string, MlflowExperimentResolver>();
  private readonly mapper = new TraceInfoMapper();
  private readonly spans: MlflowSpanWriter;
  private readonly traceInfo: MlflowTraceInfoWriter;
  private readonly capabilities: MlflowServerCapabilities;
  private readonly mode: TraceInfoMode;
  private readonly perTraceConcurrency: number;

  constructor(
    private readonly client: MlflowClient,
    private readonly resolverFor: (experimentName: string) => MlflowExperimentResolver,
    options: MlflowTraceExporterOptions = {},
  ) {
    const encoder = options.otlp ?? new OtlpTraceEncoder();
    this.spans = new MlflowSpanWriter(client, encoder, options.maxRequestBytes ?? 4 * 1024 ** 2);
    this.traceInfo = new MlflowTraceInfoWriter(client, this.mapper, new TraceArtifactEncoder());
    this.capabilities = options.capabilities ?? new MlflowServerCapabilities(client);
    this.mode = options.traceInfo ?? 'auto';
    this.perTraceConcurrency = options.perTraceConcurrency ?? 4;
  }

  /** Exports one trace; throws MlflowRequestError / MlflowExportError, each with `retryable`. */
  async export(experimentName: string, trace: FinishedTrace): Promise<MlflowExportResult> {
    const [outcome] = await this.exportBatch(experimentName, [trace]);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * Exports traces bound for one experiment. Never rejects: each trace gets its own outcome.
   * A failure that concerns the whole request (MLflow unreachable) is every trace's outcome.
   */
  async exportBatch(
    experimentName: string,
    traces: readonly FinishedTrace[],
  ): Promise<MlflowExportOutcome[]> {
    const resolver = this.resolver(experimentName);
    const first = await this.exportResolved(resolver, traces);
    const rejected = traces.filter((_, i) => isExperimentRejection(failure(first[i])));
    if (rejected.length === 0) return first;
    // The cached experiment may have been deleted (or deleted and recreated) since it was
    // resolved: resolve it again, which restores a deleted one, and try those traces once more.
    resolver.invalidate();
    const retried = new Map(
      (await this.exportResolved(resolver, rejected)).map((outcome) => [outcome.traceId, outcome]),
    );
    return first.map((outcome) => retried.get(outcome.traceId) ?? outcome);
  }

  private async exportResolved(
    resolver: MlflowExperimentResolver,
    traces: readonly FinishedTrace[],
  ): Promise<MlflowExportOutcome[]> {
    try {
      const experimentId = await resolver.resolve();
      return await this.exportTo(experimentId, traces);
    } catch (error) {
      return traces.map((trace) => ({ traceId: trace.traceId, ok: false, error }));
    }
  }

  private async exportTo(
    experimentId: string,
    traces: readonly FinishedTrace[],
  ): Promise<MlflowExportOutcome[]> {
    const tagged = traces.map((trace) => this.mapper.withTraceTagsOnRoot(trace));
    const written = await this.spans.write(experimentId, tagged);
    const infoFromSpans = this.mode === 'auto' && (await this.capabilities.traceInfoFromSpans());
    return mapLimit(traces, this.perTraceConcurrency, async (trace) => {
      const spansFailure = written.failures.get(trace.traceId);
      if (spansFailure !== undefined)
        return { traceId: trace.traceId, ok: false, error: spansFailure };
      try {
        const result = await this.finish(experimentId, trace, written.otlp, infoFromSpans);
        return { traceId: trace.traceId, ok: true, result };
      } catch (error) {
        return { traceId: trace.traceId, ok: false, error };
      }
    });
  }

  /** What remains after the spans: trace info, artifact, prompt links. */
  private async finish(
    experimentId: string,
    trace: FinishedTrace,
    spansInStore: boolean,
    infoFromSpans: boolean,
  ): Promise<MlflowExportResult> {
    if (trace.remoteParent && !spansInStore) {
      throw new MlflowExportError(
        trace.traceId,
        'its root span has a remote parent, and a server without OTLP span logging cannot merge ' +
          'spans from several services into one trace',
      );
    }
    const writeInfo = !trace.remoteParent && (!spansInStore || !infoFromSpans);
    const spansLocation = writeInfo
      ? await this.traceInfo.write(experimentId, trace, spansInStore)
      : MlflowSpansLocation.trackingStore;
    // Prompt-trace associations exist only in SQL stores (the ones that take OTLP); elsewhere the
    // `mlflow.linkedPrompts` tag is all there is.
    const prompts = spansInStore ? (trace.linkedPrompts ?? []) : [];
    const linked = prompts.length > 0 && (await this.linkPrompts(trace.traceId, prompts));
    return {
      traceId: trace.traceId,
      experimentId,
      spansLocation,
      traceInfoWritten: writeInfo,
      linkedPromptCount: linked ? prompts.length : 0,
    };
  }

  private async linkPrompts(
    traceId: string,
    prompts: { name: string; version: string }[],
  ): Promise<boolean> {
    if (!this.capabilities.linkPrompts) return false;
    try {
      await this.client.request({
        method: 'POST',
        path: MlflowPath.linkPrompts,
        // Links are a set: the same link twice is one.
        idempotent: true,
        json: {
          trace_id: traceId,
          prompt_versions: prompts.map(({ name, version }) => ({ name, version: String(version) })),
        },
      });
      return true;
    } catch (error) {
      // 3.4 and 3.6 answer 405, proxies in front of them 404: the route is missing, not the trace.
      if (!isMissingRoute(error)) throw error;
      this.capabilities.markLinkPromptsMissing(error.status);
      return false;
    }
  }

  private resolver(experimentName: string): MlflowExperimentResolver {
    let resolver = this.resolvers.get(experimentName);
    if (!resolver) {
      resolver = this.resolverFor(experimentName);
      this.resolvers.set(experimentName, resolver);
    }
    return resolver;
  }
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function failure(outcome: MlflowExportOutcome): unknown {
  return outcome.ok ? undefined : outcome.error;
}

function isMissingRoute(error: unknown): error is MlflowRequestError {
  return (
    error instanceof MlflowRequestError &&
    (error.status === 405 || (error.status === 404 && error.errorCode === 'HTTP_404'))
  );
}

/** A permanent 400/404 from MLflow itself, as for a deleted or vanished experiment. */
function isExperimentRejection(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError &&
    !error.retryable &&
    (error.status === 400 || error.status === 404) &&
    error.errorCode !== `HTTP_${error.status}` &&
    error.errorCode !== MlflowErrorCode.resourceAlreadyExists &&
    !/already exists in another experiment/i.test(error.message)
  );
}
