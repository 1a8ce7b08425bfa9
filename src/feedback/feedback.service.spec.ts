import type { ConfigType } from '@nestjs/config';
import type { feedbackConfig } from '../config/feedback.config';
import type { FeedbackQueue } from './feedback.queue';
import type { FeedbackAssessmentWriter } from './feedback-assessment.writer';
import { FeedbackService } from './feedback.service';
import type { FeedbackTraceLookup, TracePresence } from './feedback-trace.lookup';

const TRACE = 'tr-4bf92f3577b34da6a3ce929d0e0e4736';

function setup(
  enqueue: FeedbackQueue['enqueue'] = async () => undefined,
  presence: TracePresence = 'known',
) {
  const queue = { kind: 'in-process' as const, enqueue: jest.fn(enqueue), close: jest.fn() };
  const config = { workerEnabled: true } as ConfigType<typeof feedbackConfig>;
  const traces = { presence: async () => presence } as unknown as FeedbackTraceLookup;
  const sut = new FeedbackService(config, queue, {} as FeedbackAssessmentWriter, traces);
  return { sut, queue };
}

describe(FeedbackService.name, () => {
  it('queues a job under an id derived from trace and key, with the defaults filled in', async () => {
    const { sut, queue } = setup();
    const first = await sut.submit({ traceId: TRACE, body: { value: 4 }, idempotencyKey: 'k1' });
    const again = await sut.submit({
      traceId: TRACE,
      body: { value: 4, idempotencyKey: 'k1' },
      userId: 'user-7',
    });
    expect(first.jobId).toBe(again.jobId);
    expect(first.jobId).toMatch(new RegExp(`^fb-${TRACE}-[0-9a-f]{32}$`));
    expect(first).toMatchObject({ status: 'queued', name: 'user_feedback', idempotencyKey: 'k1' });
    const [, job] = queue.enqueue.mock.calls[0];
    expect(job).toMatchObject({ traceId: TRACE, value: 4, sourceId: 'anonymous' });
    expect(queue.enqueue.mock.calls[1][1].sourceId).toBe('user-7');
  });

  it('makes up a key when none is given, so each submission is its own job', async () => {
    const { sut } = setup();
    const a = await sut.submit({ traceId: TRACE, body: { value: true } });
    const b = await sut.submit({ traceId: TRACE, body: { value: true } });
    expect(a.idempotencyKey).toMatch(/^arkgate-/);
    expect(a.jobId).not.toBe(b.jobId);
  });

  it('rejects a header key and a body key that differ', async () => {
    const { sut } = setup();
    await expect(
      sut.submit({ traceId: TRACE, body: { value: 1, idempotencyKey: 'a' }, idempotencyKey: 'b' }),
    ).rejects.toMatchObject({ status: 400, code: 'idempotency_key_mismatch' });
  });

  it('is a 503 to retry when the queue cannot take the job', async () => {
    const { sut } = setup(async () => Promise.reject(new Error('Redis is not connected')));
    await expect(sut.submit({ traceId: TRACE, body: { value: 1 } })).rejects.toMatchObject({
      status: 503,
      code: 'feedback_queue_unavailable',
      retryAfter: '5',
    });
  });

  it('refuses feedback on a trace nobody knows with a 404, queueing nothing', async () => {
    const { sut, queue } = setup(undefined, 'unknown');
    await expect(sut.submit({ traceId: TRACE, body: { value: 1 } })).rejects.toMatchObject({
      status: 404,
      code: 'trace_not_found',
      param: 'traceId',
    });
    expect(queue.enqueue).not.toHaveBeenCalled();
  });

  it('accepts feedback when it cannot tell whether the trace exists', async () => {
    const { sut, queue } = setup(undefined, 'undetermined');
    await expect(sut.submit({ traceId: TRACE, body: { value: 1 } })).resolves.toMatchObject({
      status: 'queued',
    });
    expect(queue.enqueue).toHaveBeenCalledTimes(1);
  });
});
