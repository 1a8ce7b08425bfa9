import type { MlflowAssessmentsClient } from '../mlflow/mlflow-assessments.client';
import { FeedbackTraceLookup, type FeedbackTraceSources } from './feedback-trace.lookup';

const TRACE = 'tr-4bf92f3577b34da6a3ce929d0e0e4736';

function setup(sources: {
  openedHere?: boolean;
  queued?: (boolean | undefined)[];
  mlflow?: MlflowAnswer | MlflowAnswer[];
  queueSettleMs?: number;
}) {
  const queuedAnswers = [...(sources.queued ?? [false])];
  const mlflowAnswers = [sources.mlflow ?? 'missing'].flat();
  const queueLooks: number[] = [];
  const listAssessments = jest.fn(async () => {
    const answer = next(mlflowAnswers);
    if (answer === 'down') throw new Error('connect ECONNREFUSED');
    return answer === 'has' ? [] : undefined;
  });
  const queued = jest.fn(async () => {
    queueLooks.push(performance.now());
    return next(queuedAnswers);
  });
  const all: FeedbackTraceSources = {
    openedHere: () => sources.openedHere ?? false,
    queued,
    assessments: { listAssessments } as unknown as MlflowAssessmentsClient,
    queueSettleMs: sources.queueSettleMs,
  };
  return { sut: new FeedbackTraceLookup(all), queued, listAssessments, queueLooks };
}

type MlflowAnswer = 'has' | 'missing' | 'down';

/** The next scripted answer; the last one once the script has run out. */
function next<T>(answers: T[]): T {
  return answers.length > 1 ? answers.shift()! : answers[0];
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

  it('calls a trace unknown only when the queue and MLflow both said twice they do not have it', async () => {
    const { sut, queued, listAssessments } = setup({ queued: [false, false], mlflow: 'missing' });

    expect(await sut.presence(TRACE)).toBe('unknown');
    expect(queued).toHaveBeenCalledTimes(2);
    expect(listAssessments).toHaveBeenCalledTimes(2);
  });

  it('knows a trace exported and dropped from the queue while it waited', async () => {
    const { sut } = setup({ queued: [false, false], mlflow: ['missing', 'has'] });

    expect(await sut.presence(TRACE)).toBe('known');
  });

  it.each([
    ['Redis is down', { queued: [undefined], mlflow: 'missing' as const }],
    ['MLflow is down', { queued: [false], mlflow: 'down' as const }],
  ])('cannot tell when %s, and answers at once', async (_, sources) => {
    const { sut, queued } = setup({ ...sources, queueSettleMs: 5_000 });
    const started = performance.now();

    expect(await sut.presence(TRACE)).toBe('undetermined');
    expect(queued).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each([
    ['Redis', { queued: [false, undefined], mlflow: 'missing' as const }],
    ['MLflow', { queued: [false, false], mlflow: ['missing', 'down'] as MlflowAnswer[] }],
  ])('cannot tell when %s fails on the second look', async (_, sources) => {
    const { sut } = setup(sources);

    expect(await sut.presence(TRACE)).toBe('undetermined');
  });

  it("looks at the queue again only once another replica's hand-off wait is over", async () => {
    const { sut, queueLooks } = setup({
      queued: [false, true],
      mlflow: 'missing',
      queueSettleMs: 150,
    });

    expect(await sut.presence(TRACE)).toBe('known');
    expect(queueLooks).toHaveLength(2);
    expect(queueLooks[1] - queueLooks[0]).toBeGreaterThanOrEqual(140);
  });
});
