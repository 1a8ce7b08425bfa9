import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { freePort as closedPort } from '../support/child-services';
import { openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { getJson, Json, postJson } from './json.client';

describe('The prompt field and the prompt route, without a registry to reach', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({
      env: {
        ARK_DEFAULT_MODEL: MODEL,
        MLFLOW_TRACKING_URI: `http://127.0.0.1:${await closedPort()}`,
        PROMPT_FETCH_TIMEOUT_MS: '1000',
      },
    });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  it.each([
    [{ uri: 'prompts:/greeter' }, 'prompt.uri', 'names no version or alias'],
    [{ uri: 'models:/greeter/1' }, 'prompt.uri', 'must start with "prompts:/"'],
    [{ name: 'greeter', version: 1, alias: 'prod' }, 'prompt.alias', 'not both'],
    [{ name: 'greeter', version: 'v1' }, 'prompt.version', 'positive integer'],
    [{ variables: {} }, 'prompt', 'needs a uri or a name'],
  ])('answers a malformed reference %j with a 400 naming %s', async (prompt, param, why) => {
    const answer = await postJson(`${sut.url}/v1/chat/completions`, {
      messages: userSays('hi'),
      prompt,
    });

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_prompt_reference',
      param,
    });
    expect(answer.body.error.message).toContain(why);
    expect(sut.simulator.requests).toEqual([]);
  });

  it('validates the prompt object itself', async () => {
    const notAnObject = await postJson(`${sut.url}/v1/chat`, { prompt: 'prompts:/greeter/1' });
    const badVariables = await postJson(`${sut.url}/v1/chat`, {
      prompt: { name: 'greeter', variables: 'name=Ada' },
    });

    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.error.param).toBe('prompt');
    expect(badVariables.status).toBe(400);
    expect(badVariables.body.error.param).toBe('prompt.variables');
  });

  it('still wants messages or input when no prompt is given', async () => {
    const openai = await postJson(`${sut.url}/v1/chat/completions`, { model: MODEL });
    const app = await postJson(`${sut.url}/v1/chat`, { model: MODEL });

    expect(openai.status).toBe(400);
    expect(openai.body.error.param).toBe('messages');
    expect(app.status).toBe(400);
  });

  it('answers 503 with retry-after when the registry is unreachable and nothing is cached', async () => {
    const answer = await postJson(`${sut.url}/v1/chat`, {
      input: 'hi',
      prompt: { uri: 'prompts:/greeter@prod', variables: { name: 'Ada' } },
    });

    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body.error).toMatchObject({
      type: 'service_unavailable_error',
      code: 'prompt_registry_unavailable',
    });
    expect(answer.body.error.message).toContain('prompts:/greeter@prod is not cached');
    expect(sut.simulator.requests).toEqual([]);
  });

  it('answers a stream request that cannot resolve its prompt with a status, not a stream', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream?prompt=greeter@prod`);
    const body = JSON.parse(await stream.body());

    expect(stream.status).toBe(503);
    expect(body.error.code).toBe('prompt_registry_unavailable');
  });

  it('answers GET /v1/chat/stream with neither input nor prompt with a 400', async () => {
    const answer = await getJson(`${sut.url}/v1/chat/stream`);

    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('input');
  });

  it.each([
    ['/v1/prompts/bad%20name', 'prompt.name'],
    ['/v1/prompts/greeter?version=0', 'prompt.version'],
    ['/v1/prompts/greeter?version=1&alias=prod', 'prompt.alias'],
  ])('answers GET %s with a 400 naming %s', async (path, param) => {
    const answer = await getJson(`${sut.url}${path}`);

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_prompt_reference', param });
  });

  it('answers GET /v1/prompts/{name} with a 503 while the registry is unreachable', async () => {
    const answer = await getJson(`${sut.url}/v1/prompts/greeter`);

    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toContain('prompts:/greeter@latest');
  });

  it('answers GET /v1/prompts with a 503 while the registry is unreachable', async () => {
    const answer = await getJson(`${sut.url}/v1/prompts`);

    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body.error).toMatchObject({
      type: 'service_unavailable_error',
      code: 'prompt_registry_unavailable',
    });
    expect(answer.body.error.message).toContain('registered-models/search');
  });

  it.each(['0', '201', 'ten'])(
    'answers GET /v1/prompts?max_results=%s with a 400',
    async (size) => {
      const answer = await getJson(`${sut.url}/v1/prompts?max_results=${size}`);

      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe('max_results');
    },
  );

  describe('in the API document', () => {
    let document: Json;

    beforeAll(async () => {
      document = (await getJson(`${sut.url}/docs-json`)).body;
    });

    it('documents GET /v1/prompts/{name} with an example and its errors', () => {
      const operation = document.paths['/v1/prompts/{name}'].get;

      expect(operation.tags).toEqual(['Prompts']);
      expect(operation.responses['200'].content['application/json'].example).toMatchObject({
        variables: expect.any(Array),
        template: expect.any(Array),
      });
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['200', '400', '404', '503']),
      );
      expect(operation.parameters.map((parameter: Json) => parameter.name)).toEqual(
        expect.arrayContaining(['name', 'version', 'alias']),
      );
    });

    it('documents GET /v1/prompts with an example, its paging parameters and its errors', () => {
      const operation = document.paths['/v1/prompts'].get;

      expect(operation.tags).toEqual(['Prompts']);
      expect(operation.responses['200'].content['application/json'].example.prompts[0]).toEqual(
        expect.objectContaining({ name: expect.any(String), latestVersion: expect.any(String) }),
      );
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['200', '400', '503']),
      );
      expect(operation.parameters.map((parameter: Json) => parameter.name).sort()).toEqual([
        'max_results',
        'page_token',
      ]);
    });

    it('documents the prompt field on both chat bodies, with an example', () => {
      const { schemas } = document.components;
      for (const body of ['ChatCompletionRequestDto', 'ChatRequestDto']) {
        const property = schemas[body].properties.prompt;
        expect(JSON.stringify(property)).toContain('#/components/schemas/PromptReferenceDto');
      }
      expect(Object.keys(schemas.PromptReferenceDto.properties).sort()).toEqual([
        'alias',
        'name',
        'uri',
        'variables',
        'version',
      ]);
      expect(schemas.PromptReferenceDto.properties.uri.example).toMatch(/^prompts:\//);
      expect(schemas.ChatCompletionRequestDto.required ?? []).not.toContain('messages');
    });

    it('documents the prompt and var.* query parameters of GET /v1/chat/stream', () => {
      const names = document.paths['/v1/chat/stream'].get.parameters.map(
        (parameter: Json) => parameter.name,
      );

      expect(names).toEqual(expect.arrayContaining(['prompt', 'var.<name>', 'input']));
    });
  });
});
