import { Redis } from 'ioredis';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { PrivateRedis } from '../support/child-services';
import { MLFLOW_TEST_ENV_FILE_VAR } from '../support/mlflow-test-env';
import { flushRedisDb, startTracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(240_000);

const DATABASES = 16;

// A Redis somebody else runs (a developer's, with data in every database) and a shell that
// points REDIS_URL at it: the suites' setup, a traced arkgate, the flush helper and the teardown
// must leave every key of it where it was.
describe('A Redis the tests did not start', () => {
  let foreign: PrivateRedis;
  let client: Redis;

  beforeAll(async () => {
    foreign = await PrivateRedis.start();
    client = new Redis(foreign.url, { maxRetriesPerRequest: 1 });
    for (let db = 0; db < DATABASES; db += 1) {
      await client.select(db);
      await client.set('someone:canary', `db-${db}`);
    }
  });

  afterAll(async () => {
    client?.disconnect();
    await foreign?.stop();
  });

  it('keeps a key in every database through the setup, a traced run, a flush attempt and the teardown', async () => {
    const saved = {
      file: process.env[MLFLOW_TEST_ENV_FILE_VAR],
      tracking: process.env.MLFLOW_TRACKING_URI,
      redis: process.env.REDIS_URL,
    };
    const foreignUrl = `redis://127.0.0.1:${foreign.port}`;
    process.env.REDIS_URL = foreignUrl;
    try {
      await globalSetup();
      try {
        await expect(flushRedisDb(`${foreignUrl}/0`)).rejects.toThrow(/refusing to touch/);
        const sut = await startTracedArkgate({
          experimentName: 'arkgate-foreign-redis',
          redisDb: 14,
        });
        await sut.close();
      } finally {
        await globalTeardown();
      }
    } finally {
      restore(MLFLOW_TEST_ENV_FILE_VAR, saved.file);
      restore('MLFLOW_TRACKING_URI', saved.tracking);
      restore('REDIS_URL', saved.redis);
    }

    for (let db = 0; db < DATABASES; db += 1) {
      await client.select(db);
      expect({
        db,
        keys: await client.dbsize(),
        canary: await client.get('someone:canary'),
      }).toEqual({
        db,
        keys: 1,
        canary: `db-${db}`,
      });
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
