import { FakeFetch } from '../../test/support/fake-fetch';
import { MlflowClient } from './mlflow.client';
import { MlflowExperimentResolver } from './mlflow-experiment.resolver';

const GET = '/api/2.0/mlflow/experiments/get-by-name';
const CREATE = '/api/2.0/mlflow/experiments/create';
const RESTORE = '/api/2.0/mlflow/experiments/restore';
const NOT_FOUND = { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no' } };

describe(MlflowExperimentResolver.name, () => {
  function setup() {
    const server = new FakeFetch();
    const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
    const logger = { warn: jest.fn() };
    const sut = new MlflowExperimentResolver(client, 'BytePlus', logger);
    return { sut, server, logger };
  }

  it('finds an existing experiment once and caches its id', async () => {
    const { sut, server } = setup();
    server.on('GET', GET, {
      json: { experiment: { experiment_id: '4', name: 'BytePlus', lifecycle_stage: 'active' } },
    });

    expect(await Promise.all([sut.resolve(), sut.resolve()])).toEqual(['4', '4']);
    expect(await sut.resolve()).toBe('4');
    expect(server.calls()).toEqual([`GET ${GET}`]);
    expect(server.requests[0].query.get('experiment_name')).toBe('BytePlus');
  });

  it('creates a missing experiment', async () => {
    const { sut, server } = setup();
    server.on('GET', GET, NOT_FOUND).on('POST', CREATE, { json: { experiment_id: '9' } });

    expect(await sut.resolve()).toBe('9');
    expect(server.requests[1].json).toEqual({ name: 'BytePlus' });
  });

  it('takes the winner when another process created it first', async () => {
    const { sut, server } = setup();
    let lookups = 0;
    server
      .on('GET', GET, () =>
        lookups++ === 0
          ? NOT_FOUND
          : {
              json: {
                experiment: { experiment_id: '5', name: 'BytePlus', lifecycle_stage: 'active' },
              },
            },
      )
      .on('POST', CREATE, {
        status: 400,
        json: {
          error_code: 'RESOURCE_ALREADY_EXISTS',
          message: 'Experiment(name=BytePlus) already exists.',
        },
      });

    expect(await sut.resolve()).toBe('5');
  });

  it('restores a deleted experiment and says so', async () => {
    const { sut, server, logger } = setup();
    server
      .on('GET', GET, {
        json: { experiment: { experiment_id: '2', name: 'BytePlus', lifecycle_stage: 'deleted' } },
      })
      .on('POST', RESTORE, { json: {} });

    expect(await sut.resolve()).toBe('2');
    expect(server.requests[1].json).toEqual({ experiment_id: '2' });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('restoring'));
  });

  it('does not cache a failure, and looks up again after invalidate()', async () => {
    const { sut, server } = setup();
    let answer: 'down' | 'up' = 'down';
    server.on('GET', GET, () =>
      answer === 'down'
        ? { status: 503, json: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' } }
        : {
            json: {
              experiment: { experiment_id: '1', name: 'BytePlus', lifecycle_stage: 'active' },
            },
          },
    );

    await expect(sut.resolve()).rejects.toMatchObject({ retryable: true });
    answer = 'up';
    expect(await sut.resolve()).toBe('1');
    sut.invalidate();
    expect(await sut.resolve()).toBe('1');
    expect(server.calls()).toHaveLength(3);
  });
});
