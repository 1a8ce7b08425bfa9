import type { TraceInfoJson } from './trace-info.mapper';
import { MlflowClient } from './mlflow.client';
import { MlflowErrorCode, MlflowPath } from './mlflow.constants';
import type { AssessmentJson } from './mlflow-assessment.model';
import { MlflowRequestError } from './mlflow-request.error';

interface TraceInfoEnvelope {
  trace: { trace_info: TraceInfoJson & { assessments?: AssessmentJson[] } };
}

/** Assessments (feedback, expectations) on traces. CreateAssessment is not idempotent. */
export class MlflowAssessmentsClient {
  constructor(private readonly client: MlflowClient) {}

  /** The trace's assessments (from GetTraceInfoV3), or undefined when MLflow has no such trace. */
  async listAssessments(traceId: string): Promise<AssessmentJson[] | undefined> {
    try {
      const found = await this.client.get<TraceInfoEnvelope>(MlflowPath.traceInfo(traceId));
      return found.trace.trace_info.assessments ?? [];
    } catch (error) {
      if (isUnknownTrace(error)) return undefined;
      throw error;
    }
  }

  /** POST traces/{id}/assessments; resolves to the stored assessment (with its `a-…` id). */
  async createAssessment(assessment: AssessmentJson): Promise<AssessmentJson> {
    const created = await this.client.post<{ assessment: AssessmentJson }>(
      MlflowPath.assessments(assessment.trace_id),
      { assessment },
    );
    return created.assessment;
  }
}

/** 404 RESOURCE_DOES_NOT_EXIST from MLflow itself (not a 404 from a proxy without the route). */
export function isUnknownTrace(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError &&
    error.status === 404 &&
    error.errorCode === MlflowErrorCode.resourceDoesNotExist
  );
}
