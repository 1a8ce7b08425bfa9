import type { FinishedTrace } from '../tracing/trace.model';
import type { MlflowClient } from './mlflow.client';
import {
  MLFLOW_ARTIFACTS_SCHEME,
  MLFLOW_TRACE_DATA_FILE,
  MlflowContentType,
  MlflowPath,
  MlflowSpansLocation,
  MlflowTraceTag,
} from './mlflow.constants';
import { MlflowExportError } from './mlflow-export.error';
import { MlflowRequestError } from './mlflow-request.error';
import type { TraceArtifactEncoder } from './trace-artifact.encoder';
import type { TraceInfoJson, TraceInfoMapper } from './trace-info.mapper';

interface TraceInfoEnvelope {
  trace: { trace_info: TraceInfoJson };
}

/**
 * One trace's info through StartTraceV3 (an upsert by trace id), and its `traces.json` artifact
 * when the spans did not land in the tracking store: what servers need that cannot derive the
 * trace info from OTLP spans, or cannot take OTLP at all.
 */
export class MlflowTraceInfoWriter {
  constructor(
    private readonly client: MlflowClient,
    private readonly mapper: TraceInfoMapper,
    private readonly artifact: TraceArtifactEncoder,
  ) {}

  /** Writes the trace info, then the spans as an artifact if the store does not hold them. */
  async write(
    experimentId: string,
    trace: FinishedTrace,
    spansInStore: boolean,
  ): Promise<MlflowSpansLocation> {
    // Stores without span logging (FileStore) do not merge a repeated StartTraceV3 (3.18
    // answers 500), so on that path an existing trace info is reused instead of written again.
    const existing = spansInStore ? undefined : await this.find(trace.traceId);
    const info = existing ?? (await this.start(experimentId, trace));
    const stored = info.tags[MlflowTraceTag.spansLocation] === MlflowSpansLocation.trackingStore;
    if (spansInStore && stored) return MlflowSpansLocation.trackingStore;
    await this.upload(info, trace);
    return MlflowSpansLocation.artifactRepo;
  }

  private async start(experimentId: string, trace: FinishedTrace): Promise<TraceInfoJson> {
    const body = this.mapper.toStartTraceBody(trace, experimentId);
    try {
      const created = await this.client.post<TraceInfoEnvelope>(MlflowPath.startTrace, body, {
        // A trace id already there is merged, not added again.
        idempotent: true,
      });
      return created.trace.trace_info;
    } catch (error) {
      // Servers before ~3.4 reject a repeated trace id instead of merging: the first try won.
      if (!isDuplicateTrace(error)) throw error;
      const existing = await this.find(trace.traceId);
      if (!existing) throw error;
      return existing;
    }
  }

  private async find(traceId: string): Promise<TraceInfoJson | undefined> {
    try {
      const found = await this.client.get<TraceInfoEnvelope>(MlflowPath.traceInfo(traceId));
      return found.trace.trace_info;
    } catch (error) {
      if (error instanceof MlflowRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async upload(info: TraceInfoJson, trace: FinishedTrace): Promise<void> {
    const location = info.tags[MlflowTraceTag.artifactLocation];
    if (!location?.startsWith(MLFLOW_ARTIFACTS_SCHEME)) {
      throw new MlflowExportError(
        trace.traceId,
        `spans need the artifact store, but the trace's artifact location "${location ?? ''}" ` +
          `is not served by the tracking server (${MLFLOW_ARTIFACTS_SCHEME})`,
      );
    }
    const path = new URL(location).pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => encodeURIComponent(decodeURIComponent(segment)))
      .join('/');
    await this.client.request({
      method: 'PUT',
      path: `${MlflowPath.artifacts}/${path}/${MLFLOW_TRACE_DATA_FILE}`,
      body: this.artifact.encode(trace),
      contentType: MlflowContentType.json,
    });
  }
}

function isDuplicateTrace(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError &&
    error.status === 400 &&
    /unique constraint failed|duplicate key|integrityerror/i.test(error.message)
  );
}
