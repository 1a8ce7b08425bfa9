import { PrivateRedis } from '../support/child-services';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

interface Ready {
  status: number;
  body: {
    status: string;
    error: Record<string, { status: string }>;
    details: Record<string, { status: string; reachable?: boolean; message?: string }>;
  };
}

async function ready(sut: TracedArkgate): Promise<Ready> {
  const response = await fetch(`${sut.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as Ready['body'] };
}

/** Polls readiness until it answers `status`. */
function readyWith(sut: TracedArkgate, status: number): Promise<Ready> {
  return eventually(async () => {
    const answer = await ready(sut);
    return answer.status === status ? answer : undefined;
  }, 30_000);
}

describe('Readiness follows Redis and MLflow', () => {
  let redis: PrivateRedis;
  let sut: TracedArkgate;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    sut = await startTracedArkgate({
      experimentName: 'arkgate-readiness',
      redisDb: 14,
      env: { REDIS_URL: redis.url },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await redis?.stop();
  });

  it('is ready with Redis and the real MLflow up', async () => {
    const answer = await readyWith(sut, 200);

    expect(answer.body.details).toMatchObject({
      upstream: { status: 'up' },
      redis: { status: 'up' },
      mlflow: { status: 'up' },
      export_backlog: { status: 'up' },
    });
  });

  it('flips to not ready when Redis stops, and back when it returns', async () => {
    await readyWith(sut, 200);

    await redis.stop();
    const down = await readyWith(sut, 503);
    await redis.start();
    const up = await readyWith(sut, 200);

    // Names where it points (never a password) and what the connection last heard.
    expect(down.body.error).toEqual({
      redis: {
        status: 'down',
        message: expect.stringMatching(
          new RegExp(
            `^Redis is not connected \\(redis://127\\.0\\.0\\.1:${redis.port}/\\d+\\): .+`,
          ),
        ),
      },
    });
    expect(down.body.details.mlflow).toMatchObject({ status: 'up' });
    expect(up.body.details.redis).toEqual({ status: 'up' });
  });
});

describe('Readiness with READY_REQUIRES_REDIS=false', () => {
  let redis: PrivateRedis;
  let sut: TracedArkgate;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    sut = await startTracedArkgate({
      experimentName: 'arkgate-readiness-shared-redis',
      redisDb: 14,
      env: { REDIS_URL: redis.url, READY_REQUIRES_REDIS: 'false' },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await redis?.stop();
  });

  it('stays ready while Redis is down, and says so', async () => {
    await readyWith(sut, 200);
    await redis.stop();

    const down = await eventually(async () => {
      const answer = await ready(sut);
      return answer.body.details.redis && 'reachable' in answer.body.details.redis
        ? answer.body.details.redis.reachable === false
          ? answer
          : undefined
        : undefined;
    }, 30_000);
    await redis.start();
    await readyWith(sut, 200);

    expect(down.status).toBe(200);
    expect(down.body.details.redis).toEqual({
      status: 'up',
      reachable: false,
      message: expect.stringMatching(
        /^Redis is not connected \(redis:\/\/127\.0\.0\.1:\d+\/\d+\): /,
      ),
    });
  });
});
