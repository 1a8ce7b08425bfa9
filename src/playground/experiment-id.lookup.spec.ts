import { FakeFetch } from '../../test/support/fake-fetch';
import { MlflowClient } from '../mlflow/mlflow.client';
import { ExperimentIdLookup } from './experiment-id.lookup';

const GET = '/api/2.0/mlflow/experiments/get-by-name';
const NOT_FOUND = { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no' } };

describe(ExperimentIdLookup.name, () => {
  function setup() {
    const server = new FakeFetch();
    const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
    const sut = new ExperimentIdLookup(client, 'BytePlus');
    return { sut, server };
  }

  it('looks the experiment up by name once and keeps its id', async () => {
    const { sut, server } = setup();
    server.on('GET', GET, { json: { experiment: { experiment_id: '4', name: 'BytePlus' } } });

    expect(await Promise.all([sut.resolve(), sut.resolve()])).toEqual(['4', '4']);
    expect(await sut.resolve()).toBe('4');
    expect(server.calls()).toEqual([`GET ${GET}`]);
    expect(server.requests[0].query.get('experiment_name')).toBe('BytePlus');
  });

  it('answers null without creating a missing experiment, and asks again next time', async () => {
    const { sut, server } = setup();
    server.on('GET', GET, NOT_FOUND);

    expect(await sut.resolve()).toBeNull();
    server.on('GET', GET, { json: { experiment: { experiment_id: '7' } } });
    expect(await sut.resolve()).toBe('7');
    expect(server.calls()).toEqual([`GET ${GET}`, `GET ${GET}`]);
  });

  it('answers null while MLflow is unreachable', async () => {
    const { sut, server } = setup();
    server.on('GET', GET, new TypeError('fetch failed'));

    expect(await sut.resolve()).toBeNull();
  });
});
