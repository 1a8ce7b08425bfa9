import type { FinishedTrace } from '../trace.model';
import { MlflowClient } from './mlflow.client';
import {
  MLFLOW_ARTIFACTS_SCHEME,
  MLFLOW_TRACE_DATA_FILE,
  MlflowContentType,
  MlflowErrorCode,
  MlflowHeader,
  MlflowPath,
  MlflowSpansLocation,
  MlflowTraceTag,
} from './mlflow.constants';
import { MlflowExperimentResolver } from './mlflow-experiment.resolver';
import { MlflowExportError } from './mlflow-export.error';
import { MlflowRequestError } from './mlflow-request.error';
import { OtlpTraceEncoder } from './otlp-trace.encoder';
import { TraceArtifactEncoder } from './trace-artifact.encoder';
import { type TraceInfoJson, TraceInfoMapper } from './trace-info.mapper';

const OTLP_REPROBE_MS = 10 * 60_000;

export interface MlflowExportResult {
  traceId: string;
  experimentId: string;
  /** Where the spans went: the tracking DB via OTLP, or the `traces.json` artifact. */
  spansLocation: MlflowSpansLocation;
  /** False for a trace whose root is remote: its caller owns the trace info. */
  traceInfoWritten: boolean;
  /** Prompt versions linked through link-prompts (SQL stores only; the tag is always set). */
  linkedPromptCount: number;
}

export interface MlflowTraceExporterCodecs {
  otlp?: OtlpTraceEncoder;
  traceInfo?: TraceInfoMapper;
  artifact?: TraceArtifactEncoder;
}

interface TraceInfoEnvelope {
  trace: { trace_info: TraceInfoJson };
}

/**
 * Writes finished traces to MLflow the way the Python SDK does against a SQL-backed server:
 * spans over OTLP, then StartTraceV3 with the authoritative trace info, then the `traces.json`
 * artifact only when the spans did not land in the tracking store, then prompt links.
 * Every step is an upsert keyed by the trace id, so a retried export never duplicates anything.
 */
export class MlflowTraceExporter {
  private readonly otlp: OtlpTraceEncoder;
  private readonly traceInfo: TraceInfoMapper;
  private readonly artifact: TraceArtifactEncoder;
  /**
   * Set when /v1/traces answered 501 (store without span logging) or 404 (no such route): until
   * then spans go to the artifact store. Probed again later, in case the 404 came from a proxy
   * in the middle of a deploy rather than from an old server.
   */
  private otlpUnavailableUntil = 0;

  constructor(
    private readonly client: MlflowClient,
    private readonly experiments: MlflowExperimentResolver,
    codecs: MlflowTraceExporterCodecs = {},
  ) {
    this.otlp = codecs.otlp ?? new OtlpTraceEncoder();
    this.traceInfo = codecs.traceInfo ?? new TraceInfoMapper();
    this.artifact = codecs.artifact ?? new TraceArtifactEncoder();
  }

  /** Exports one trace; throws MlflowRequestError / MlflowExportError, each with `retryable`. */
  async export(trace: FinishedTrace): Promise<MlflowExportResult> {
    const experimentId = await this.experiments.resolve();
    try {
      return await this.exportTo(experimentId, trace);
    } catch (error) {
      if (!isExperimentRejection(error)) throw error;
      // The cached experiment may have been deleted (or deleted and recreated) since it was
      // resolved: resolve it again, which restores a deleted one, and try once more.
      this.experiments.invalidate();
      return this.exportTo(await this.experiments.resolve(), trace);
    }
  }

  private async exportTo(experimentId: string, trace: FinishedTrace): Promise<MlflowExportResult> {
    const spansInStore = await this.logSpans(experimentId, trace);
    let spansLocation: MlflowSpansLocation = MlflowSpansLocation.trackingStore;
    if (!trace.remoteParent) {
      const info = await this.writeTraceInfo(experimentId, trace, spansInStore);
      if (!spansInStore || info.tags[MlflowTraceTag.spansLocation] !== spansLocation) {
        await this.uploadSpans(info, trace);
        spansLocation = MlflowSpansLocation.artifactRepo;
      }
    }
    // Prompt-trace associations exist only in SQL stores (the ones that take OTLP); elsewhere the
    // `mlflow.linkedPrompts` tag written with the trace info is all there is.
    const prompts = spansInStore ? (trace.linkedPrompts ?? []) : [];
    if (prompts.length > 0) {
      await this.client.post(MlflowPath.linkPrompts, {
        trace_id: trace.traceId,
        prompt_versions: prompts.map(({ name, version }) => ({ name, version: String(version) })),
      });
    }
    return {
      traceId: trace.traceId,
      experimentId,
      spansLocation,
      traceInfoWritten: !trace.remoteParent,
      linkedPromptCount: prompts.length,
    };
  }

  /** True when the spans are in the tracking store; false when this server cannot take OTLP. */
  private async logSpans(experimentId: string, trace: FinishedTrace): Promise<boolean> {
    if (Date.now() < this.otlpUnavailableUntil) {
      if (trace.remoteParent) throw remoteWithoutOtlp(trace);
      return false;
    }
    try {
      await this.client.request({
        method: 'POST',
        path: MlflowPath.otlpTraces,
        body: this.otlp.encode(trace),
        contentType: MlflowContentType.protobuf,
        headers: { [MlflowHeader.experimentId]: experimentId },
      });
      return true;
    } catch (error) {
      if (!isOtlpUnavailable(error)) throw error;
      this.otlpUnavailableUntil = Date.now() + OTLP_REPROBE_MS;
      if (trace.remoteParent) throw remoteWithoutOtlp(trace, error);
      return false;
    }
  }

  /**
   * Stores without span logging (FileStore) do not merge a repeated StartTraceV3 (3.18 answers
   * 500), so on that path an existing trace info is reused instead of written again.
   */
  private async writeTraceInfo(
    experimentId: string,
    trace: FinishedTrace,
    spansInStore: boolean,
  ): Promise<TraceInfoJson> {
    const existing = spansInStore ? undefined : await this.findTraceInfo(trace.traceId);
    return existing ?? this.startTrace(experimentId, trace);
  }

  private async startTrace(experimentId: string, trace: FinishedTrace): Promise<TraceInfoJson> {
    const body = this.traceInfo.toStartTraceBody(trace, experimentId);
    try {
      const created = await this.client.post<TraceInfoEnvelope>(MlflowPath.startTrace, body);
      return created.trace.trace_info;
    } catch (error) {
      // Servers before ~3.4 reject a repeated trace id instead of merging: the first try won.
      if (!isDuplicateTrace(error)) throw error;
      const existing = await this.findTraceInfo(trace.traceId);
      if (!existing) throw error;
      return existing;
    }
  }

  private async findTraceInfo(traceId: string): Promise<TraceInfoJson | undefined> {
    try {
      const found = await this.client.get<TraceInfoEnvelope>(MlflowPath.traceInfo(traceId));
      return found.trace.trace_info;
    } catch (error) {
      if (error instanceof MlflowRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async uploadSpans(info: TraceInfoJson, trace: FinishedTrace): Promise<void> {
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

function remoteWithoutOtlp(trace: FinishedTrace, cause?: unknown): MlflowExportError {
  return new MlflowExportError(
    trace.traceId,
    'its root span has a remote parent, and a server without OTLP span logging cannot merge ' +
      'spans from several services into one trace',
    { cause },
  );
}

/** 501: store without span logging (FileStore). 404 without an MLflow error code: no such route. */
function isOtlpUnavailable(error: unknown): boolean {
  if (!(error instanceof MlflowRequestError)) return false;
  return error.status === 501 || (error.status === 404 && error.errorCode === 'HTTP_404');
}

/** A permanent 400/404 from MLflow itself, as for a deleted or vanished experiment. */
function isExperimentRejection(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError &&
    !error.retryable &&
    (error.status === 400 || error.status === 404) &&
    error.errorCode !== `HTTP_${error.status}` &&
    error.errorCode !== MlflowErrorCode.resourceAlreadyExists
  );
}

function isDuplicateTrace(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError &&
    error.status === 400 &&
    /unique constraint failed|duplicate key|integrityerror/i.test(error.message)
  );
}
