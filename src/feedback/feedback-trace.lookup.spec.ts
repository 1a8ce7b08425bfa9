import type { MlflowAssessmentsClient } from '../mlflow/mlflow-assessments.client';
import { FeedbackTraceLookup, type FeedbackTraceSources } from './feedback-trace.lookup';

const TRACE = 'tr-4bf92f3577b34da6a3ce929d0e0e4736';

function setup(sources: {
  openedHere?: boolean;
  queued?: (boolean | undefined)[];
  mlflow?: 'has' | 'missing' | 'down';
  queueSettleMs?: number;
}) {
  const queuedAnswers = [...(sources.queued ?? [false])];
  const listAssessments = jest.fn(async () => {
    if (sources.mlflow === 'down') throw new Error('connect ECONNREFUSED');
    return sources.mlflow === 'has' ? [] : undefined;
  });
  const queued = jest.fn(async () => queuedAnswers.shift() ?? queuedAnswers.at(-1));
  const all: FeedbackTraceSources = {
    openedHere: () => sources.openedHere ?? false,
    queued,
    assessments: { listAssessments } as unknown as MlflowAssessmentsClient,
    queueSettleMs: sources.queueSettleMs,
  };
  return { sut: new FeedbackTraceLookup(all), queued, listAssessments };
}

describe(FeedbackTraceLookup.name, () => {
  it('knows a trace this process opened without asking anyone', async () => {
    const { sut, queued, listAssessments } = setup({ openedHere: true });

    expect(await sut.presence(TRACE)).toBe('known');
    expect(queued).not.toHaveBeenCalled();
    expect(listAssessments).not.toHaveBeenCalled();
  });

  it('knows a trace the export queue holds without asking MLflow', async () => {
    const { sut, listAssessments } = setup({ queued: [true] });

    expect(await sut.presence(TRACE)).toBe('known');
    expect(listAssessments).not.toHaveBeenCalled();
  });

  it('knows a trace MLflow has', async () => {
    const { sut } = setup({ queued: [false], mlflow: 'has' });

    expect(await sut.presence(TRACE)).toBe('known');
  });

  it('knows a trace queued while MLflow was being asked', async () => {
    const { sut } = setup({ queued: [false, true], mlflow: 'missing' });

    expect(await sut.presence(TRACE)).toBe('known');
  });

  it('calls a trace unknown only when the queue and MLflow both said they do not have it', async () => {
    const { sut } = setup({ queued: [false, false], mlflow: 'missing' });

    expect(await sut.presence(TRACE)).toBe('unknown');
  });

  it.each([
    ['Redis is down', { queued: [undefined], mlflow: 'missing' as const }],
    ['MLflow is down', { queued: [false], mlflow: 'down' as const }],
  ])('cannot tell when %s', async (_, sources) => {
    const { sut } = setup(sources);

    expect(await sut.presence(TRACE)).toBe('undetermined');
  });

  it("looks at the queue again only once another replica's hand-off wait is over", async () => {
    const { sut, queued } = setup({ queued: [false, true], mlflow: 'missing', queueSettleMs: 150 });
    const started = performance.now();

    expect(await sut.presence(TRACE)).toBe('known');
    expect(queued).toHaveBeenCalledTimes(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
