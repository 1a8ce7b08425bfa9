import type { AssessmentJson } from '../mlflow/mlflow-assessment.model';
import type { MlflowAssessmentsClient } from '../mlflow/mlflow-assessments.client';
import { MlflowRequestError } from '../mlflow/mlflow-request.error';
import { FeedbackAssessmentWriter } from './feedback-assessment.writer';
import type { FeedbackJob } from './feedback-job.model';
import { FeedbackTraceMissingError } from './feedback-trace-missing.error';

const TRACE = 'tr-4bf92f3577b34da6a3ce929d0e0e4736';
const WAIT_MS = 60_000;

function job(overrides: Partial<FeedbackJob> = {}): FeedbackJob {
  return {
    traceId: TRACE,
    name: 'user_feedback',
    value: true,
    rationale: 'solved it',
    sourceId: 'user-42',
    spanId: '00f067aa0ba902b7',
    idempotencyKey: 'fb-1',
    submittedAt: 1_000_000,
    ...overrides,
  };
}

function setup(assessments: AssessmentJson[] | 'trace missing' = []) {
  let now = 1_000_000;
  const client = {
    listAssessments: jest.fn(async () =>
      assessments === 'trace missing' ? undefined : assessments,
    ),
    createAssessment: jest.fn(async (assessment: AssessmentJson) => ({
      ...assessment,
      assessment_id: 'a-new',
    })),
  };
  const sut = new FeedbackAssessmentWriter(
    client as unknown as MlflowAssessmentsClient,
    WAIT_MS,
    () => now,
  );
  return { sut, client, advance: (ms: number) => (now += ms) };
}

describe(FeedbackAssessmentWriter.name, () => {
  it('creates a HUMAN feedback assessment carrying the idempotency key', async () => {
    const { sut, client } = setup();
    await expect(sut.write(job())).resolves.toEqual({ assessmentId: 'a-new', duplicate: false });
    expect(client.createAssessment).toHaveBeenCalledWith({
      assessment_name: 'user_feedback',
      trace_id: TRACE,
      span_id: '00f067aa0ba902b7',
      source: { source_type: 'HUMAN', source_id: 'user-42' },
      feedback: { value: true },
      rationale: 'solved it',
      metadata: { idempotency_key: 'fb-1' },
    });
  });

  it('does not create an assessment the trace already has under the same key', async () => {
    const { sut, client } = setup([
      {
        assessment_id: 'a-old',
        assessment_name: 'user_feedback',
        trace_id: TRACE,
        source: { source_type: 'HUMAN', source_id: 'user-42' },
        metadata: { idempotency_key: 'fb-1' },
      },
    ]);
    await expect(sut.write(job())).resolves.toEqual({ assessmentId: 'a-old', duplicate: true });
    await sut.write(job({ idempotencyKey: 'fb-2' }));
    expect(client.createAssessment).toHaveBeenCalledTimes(1);
  });

  it('waits for a trace that is not exported yet, then fails for good with the reason', async () => {
    const { sut, client, advance } = setup('trace missing');
    const early = await sut.write(job()).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(FeedbackTraceMissingError);
    expect(early).toMatchObject({ retryable: true, remainingWaitMs: WAIT_MS });
    advance(WAIT_MS);
    const late = await sut.write(job()).catch((error: unknown) => error);
    expect(late).toMatchObject({ retryable: false, remainingWaitMs: 0 });
    expect((late as Error).message).toBe(
      `Trace ${TRACE} was not found in MLflow after waiting 60 s: the trace id is unknown, or its export failed`,
    );
    expect(client.createAssessment).not.toHaveBeenCalled();
  });

  it('leaves MLflow failures to the retry policy', async () => {
    const { sut, client } = setup();
    const unavailable = new MlflowRequestError({
      method: 'POST',
      path: '/x',
      status: 503,
      errorCode: 'TEMPORARILY_UNAVAILABLE',
      message: 'db',
    });
    client.createAssessment.mockRejectedValueOnce(unavailable);
    await expect(sut.write(job())).rejects.toBe(unavailable);
  });
});
