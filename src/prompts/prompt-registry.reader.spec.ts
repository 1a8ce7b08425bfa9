import { FakeFetch } from '../../test/support/fake-fetch';
import { GatewayError } from '../common/errors/gateway.error';
import { MlflowClient } from '../mlflow/mlflow.client';
import { MlflowPromptRegistryClient } from '../mlflow/mlflow-prompt-registry.client';
import { PromptRegistryReader } from './prompt-registry.reader';

const SEARCH = '/api/2.0/mlflow/registered-models/search';

describe(PromptRegistryReader.name, () => {
  function setup() {
    const server = new FakeFetch();
    const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
    const sut = new PromptRegistryReader(new MlflowPromptRegistryClient(client));
    return { sut, server };
  }

  describe('list', () => {
    it('searches prompts only, one page, and passes the page token on', async () => {
      const { sut, server } = setup();
      server.on('GET', SEARCH, {
        json: {
          registered_models: [
            {
              name: 'greeter',
              latest_versions: [{ name: 'greeter', version: '2' }],
              aliases: [{ alias: 'prod', version: '1' }],
            },
          ],
          next_page_token: 'next',
        },
      });

      const page = await sut.list(10, 'this');

      expect(page).toEqual({
        prompts: [{ name: 'greeter', latestVersion: '2', aliases: { prod: '1' } }],
        nextPageToken: 'next',
      });
      const { query } = server.requests[0];
      expect(query.get('filter')).toBe("tags.`mlflow.prompt.is_prompt` = 'true'");
      expect(query.get('max_results')).toBe('10');
      expect(query.get('page_token')).toBe('this');
    });

    it('answers an empty registry (MLflow sends {}) with no prompts and no next page', async () => {
      const { sut, server } = setup();
      server.on('GET', SEARCH, { json: {} });

      expect(await sut.list(50)).toEqual({ prompts: [] });
      expect(server.requests[0].query.has('page_token')).toBe(false);
    });

    it('answers a page token MLflow rejects with a 400 naming page_token', async () => {
      const { sut, server } = setup();
      server.on('GET', SEARCH, {
        status: 400,
        json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid page token' },
      });

      const error = await sut.list(50, 'garbage').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ status: 400, param: 'page_token' });
    });

    it('answers any other failure with a 503', async () => {
      const { sut, server } = setup();
      server.on('GET', SEARCH, new TypeError('fetch failed'));

      const error = await sut.list(50).catch((caught: unknown) => caught);

      expect(error).toMatchObject({ status: 503, code: 'prompt_registry_unavailable' });
    });
  });
});
