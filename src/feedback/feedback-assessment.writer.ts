import { MlflowAssessmentSourceType } from '../mlflow/mlflow.constants';
import type { AssessmentJson } from '../mlflow/mlflow-assessment.model';
import { type MlflowAssessmentsClient, isUnknownTrace } from '../mlflow/mlflow-assessments.client';
import { IDEMPOTENCY_METADATA_KEY } from './feedback.constants';
import type { FeedbackJob, FeedbackResult } from './feedback-job.model';
import { FeedbackTraceMissingError } from './feedback-trace-missing.error';

/**
 * Writes one feedback job as an MLflow assessment, at most once per idempotency key: MLflow's
 * CreateAssessment is not idempotent, so the trace's assessments are checked first. A trace not
 * in MLflow yet is waited for (retryable error) until `traceWaitMs` after submission.
 */
export class FeedbackAssessmentWriter {
  constructor(
    private readonly assessments: MlflowAssessmentsClient,
    private readonly traceWaitMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async write(job: FeedbackJob): Promise<FeedbackResult> {
    const existing = await this.assessments.listAssessments(job.traceId);
    if (existing === undefined) throw this.missing(job);
    const earlier = existing.find(
      (assessment) => assessment.metadata?.[IDEMPOTENCY_METADATA_KEY] === job.idempotencyKey,
    );
    if (earlier?.assessment_id) return { assessmentId: earlier.assessment_id, duplicate: true };
    try {
      const created = await this.assessments.createAssessment(toAssessment(job));
      return { assessmentId: created.assessment_id ?? '', duplicate: false };
    } catch (error) {
      if (isUnknownTrace(error)) throw this.missing(job);
      throw error;
    }
  }

  private missing(job: FeedbackJob): FeedbackTraceMissingError {
    const waited = Math.max(0, this.now() - job.submittedAt);
    return new FeedbackTraceMissingError(
      job.traceId,
      waited,
      Math.max(0, this.traceWaitMs - waited),
    );
  }
}

function toAssessment(job: FeedbackJob): AssessmentJson {
  const assessment: AssessmentJson = {
    assessment_name: job.name,
    trace_id: job.traceId,
    source: { source_type: MlflowAssessmentSourceType.human, source_id: job.sourceId },
    feedback: { value: job.value },
    metadata: { [IDEMPOTENCY_METADATA_KEY]: job.idempotencyKey },
  };
  if (job.spanId) assessment.span_id = job.spanId;
  if (job.rationale) assessment.rationale = job.rationale;
  return assessment;
}
