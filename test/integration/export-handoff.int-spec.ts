import { Redis } from 'ioredis';
import { BullmqTraceExportDriver } from '../../src/queue/bullmq-trace-export.driver';
import type { TraceExportJob } from '../../src/queue/trace-export-job.model';
import { PrivateRedis } from '../support/child-services';

jest.setTimeout(60_000);

const WAIT_MS = 1_000;
/** A wait no test may reach: a batch sent before it was sent for another reason. */
const LONG_WAIT_MS = 30_000;

function job(n: number): TraceExportJob {
  return {
    experimentName: 'handoff',
    trace: {
      traceId: `tr-${n.toString(16).padStart(32, '0')}`,
      remoteParent: false,
      requestTime: Date.now(),
      executionDurationMs: 1,
      state: 'OK',
      metadata: {},
      tags: {},
      spans: [],
    },
  };
}

/** When each promise settled, in ms after `since`. */
function settledAfter(since: number, promises: Promise<void>[]): Promise<number[]> {
  return Promise.all(promises.map((promise) => promise.then(() => performance.now() - since)));
}

// The API's hand-off of finished traces to Redis, against a real redis-server of its own.
describe('BullmqTraceExportDriver hand-off', () => {
  let redis: PrivateRedis;
  let driver: BullmqTraceExportDriver | undefined;
  let db = 0;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });

  afterAll(() => redis?.stop());

  async function openDriver(handoffWaitMs: number): Promise<BullmqTraceExportDriver> {
    db += 1;
    const connection = new Redis(redis.dbUrl(db), { maxRetriesPerRequest: 1 });
    await new Promise((resolve) => connection.once('ready', resolve));
    return new BullmqTraceExportDriver(connection, {
      maxAttempts: 3,
      keepCompleted: 10,
      keepFailed: 10,
      prefix: 'bull',
      handoffWaitMs,
    });
  }

  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });

  it('sends the traces that finish within the wait together, once the first has waited it', async () => {
    const sut = (driver = await openDriver(WAIT_MS));
    const started = performance.now();
    const first = sut.enqueue(job(1));
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS / 3));
    const second = sut.enqueue(job(2));
    const secondAt = performance.now() - started;

    const stillWaiting = !(await sut.has(job(1).trace.traceId));
    const lookedAt = performance.now() - started;
    const times = await settledAfter(started, [first, second]);

    // Only what happened inside the window says anything (a stalled machine may overrun it).
    if (lookedAt < WAIT_MS - 50) expect(stillWaiting).toBe(true);
    if (secondAt < WAIT_MS - 50) expect(Math.abs(times[1] - times[0])).toBeLessThan(WAIT_MS / 3);
    expect(times[0]).toBeGreaterThanOrEqual(WAIT_MS - 5);
    expect(await sut.has(job(1).trace.traceId)).toBe(true);
    expect(await sut.has(job(2).trace.traceId)).toBe(true);
    expect(await sut.backlog()).toBe(2);
  });

  it('sends a full batch at once, without waiting', async () => {
    const sut = (driver = await openDriver(LONG_WAIT_MS));
    const jobs = Array.from({ length: 256 }, (_, n) => job(1_000 + n));
    const started = performance.now();
    await Promise.all(jobs.map((each) => sut.enqueue(each)));

    expect(performance.now() - started).toBeLessThan(LONG_WAIT_MS / 3);
    expect(await sut.backlog()).toBe(256);
  });

  it('sends what waits when it closes', async () => {
    const closing = await openDriver(LONG_WAIT_MS);
    const started = performance.now();
    const queued = closing.enqueue(job(7));
    await closing.close();
    await queued;
    expect(performance.now() - started).toBeLessThan(LONG_WAIT_MS / 3);

    const reader = new Redis(redis.dbUrl(db));
    try {
      expect(await reader.exists(`bull:arkgate-trace-export:${job(7).trace.traceId}`)).toBe(1);
    } finally {
      reader.disconnect();
    }
  });

  it('sends each event-loop turn at once with no wait', async () => {
    const sut = (driver = await openDriver(0));
    const started = performance.now();
    const [time] = await settledAfter(started, [sut.enqueue(job(9))]);

    expect(time).toBeLessThan(WAIT_MS);
    expect(await sut.has(job(9).trace.traceId)).toBe(true);
  });
});
