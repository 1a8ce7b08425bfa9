import type { MlflowExportOutcome } from '../mlflow/mlflow-trace.exporter';
import type { FinishedTrace } from '../tracing/trace.model';
import { TraceExportBatcher, type BatchExport } from './trace-export.batcher';

const job = (id: string, experimentName = 'e') => ({
  experimentName,
  trace: { traceId: id } as FinishedTrace,
});

function setup(options: Partial<ConstructorParameters<typeof TraceExportBatcher>[1]> = {}) {
  const batches: { experiment: string; ids: string[] }[] = [];
  let answer: (
    traces: FinishedTrace[],
  ) => MlflowExportOutcome[] | Promise<MlflowExportOutcome[]> = (traces) =>
    traces.map((trace) => ({ traceId: trace.traceId, ok: true, result: trace.traceId }) as never);
  const exportBatch = jest.fn<ReturnType<BatchExport>, Parameters<BatchExport>>(
    async (experiment, traces) => {
      batches.push({ experiment, ids: traces.map((trace) => trace.traceId) });
      return answer(traces);
    },
  );
  const sut = new TraceExportBatcher(exportBatch, {
    maxTraces: 3,
    maxWaitMs: 20,
    maxInFlight: 1,
    ...options,
  });
  return { sut, batches, answerWith: (fn: typeof answer) => (answer = fn) };
}

describe(TraceExportBatcher.name, () => {
  it('sends a full batch at once, and the rest when the oldest has waited long enough', async () => {
    const { sut, batches } = setup();
    const settled = ['a', 'b', 'c', 'd'].map((id) => sut.add(job(id)));
    await settled[0];
    expect(batches).toEqual([{ experiment: 'e', ids: ['a', 'b', 'c'] }]);
    await expect(Promise.all(settled)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect(batches[1]).toEqual({ experiment: 'e', ids: ['d'] });
  });

  it('keeps experiments apart', async () => {
    const { sut, batches } = setup({ maxInFlight: 2 });
    await Promise.all([sut.add(job('a', 'x')), sut.add(job('b', 'y')), sut.add(job('c', 'x'))]);
    expect(batches).toEqual(
      expect.arrayContaining([
        { experiment: 'x', ids: ['a', 'c'] },
        { experiment: 'y', ids: ['b'] },
      ]),
    );
  });

  it("settles each job with its own trace's outcome", async () => {
    const { sut, answerWith } = setup();
    answerWith((traces) =>
      traces.map((trace) =>
        trace.traceId === 'bad'
          ? { traceId: trace.traceId, ok: false, error: new Error('poison') }
          : ({ traceId: trace.traceId, ok: true, result: 'fine' } as never),
      ),
    );
    const results = await Promise.allSettled([
      sut.add(job('a')),
      sut.add(job('bad')),
      sut.add(job('b')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('poison'));
  });

  it('holds batches back while the requests in flight are at the limit', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { sut, batches, answerWith } = setup({ maxTraces: 1 });
    answerWith(async (traces) => {
      await gate;
      return traces.map((t) => ({ traceId: t.traceId, ok: true }) as never);
    });
    const first = sut.add(job('a'));
    const second = sut.add(job('b'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toHaveLength(1);
    release();
    await Promise.all([first, second]);
    expect(batches.map((batch) => batch.ids)).toEqual([['a'], ['b']]);
  });

  it('drain() sends what waits without waiting for the batch to fill', async () => {
    const { sut, batches } = setup({ maxWaitMs: 60_000 });
    const pending = sut.add(job('a'));
    await sut.drain();
    expect(batches).toEqual([{ experiment: 'e', ids: ['a'] }]);
    await pending;
  });
});
