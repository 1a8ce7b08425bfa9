import type { MlflowAssessmentSourceType } from './mlflow.constants';

export type MlflowFeedbackValue = boolean | number | string | string[];

/** Assessment in protobuf-JSON form (assessments.proto), as CreateAssessment takes it. */
export interface AssessmentJson {
  assessment_id?: string;
  assessment_name: string;
  trace_id: string;
  span_id?: string;
  source: {
    source_type: (typeof MlflowAssessmentSourceType)[keyof typeof MlflowAssessmentSourceType];
    source_id: string;
  };
  feedback?: { value: MlflowFeedbackValue };
  rationale?: string;
  metadata?: Record<string, string>;
  create_time?: string;
  valid?: boolean;
}
