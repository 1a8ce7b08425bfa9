import { startArkgate, type ArkgateHarness } from '../support/arkgate.harness';
import { readMlflowTestEnv } from '../support/mlflow-test-env';

jest.setTimeout(60_000);

const RUN = Date.now().toString(36);
const API_KEY = 'sk-prompt-list';
const GREETER = `list-greeter-${RUN}`;
const SUPPORT = `list-support-${RUN}`;
const PLAIN_MODEL = `list-model-${RUN}`;

const IS_PROMPT = { key: 'mlflow.prompt.is_prompt', value: 'true' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function mlflowPost(trackingUri: string, path: string, body: unknown): Promise<Json> {
  const response = await fetch(trackingUri + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} → ${response.status}: ${text}`);
  return JSON.parse(text);
}

describe('GET /v1/prompts against a real MLflow', () => {
  const { trackingUri } = readMlflowTestEnv();
  let sut: ArkgateHarness;

  async function list(query = ''): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${sut.url}/v1/prompts${query}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    return { status: response.status, body: await response.json() };
  }

  /** Every prompt, following nextPageToken (other specs share the server and add theirs). */
  async function listAll(pageSize: number): Promise<Json[]> {
    const prompts: Json[] = [];
    let token: string | undefined;
    do {
      const page = await list(
        `?max_results=${pageSize}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.prompts.length).toBeLessThanOrEqual(pageSize);
      prompts.push(...page.body.prompts);
      token = page.body.nextPageToken;
    } while (token);
    return prompts;
  }

  beforeAll(async () => {
    const create = (path: string, body: unknown) => mlflowPost(trackingUri, path, body);
    await create('/api/2.0/mlflow/registered-models/create', {
      name: GREETER,
      description: 'Greets people',
      tags: [IS_PROMPT],
    });
    for (const [text, commit] of [
      ['Hello {{name}}', 'first'],
      ['Hello {{name}}, welcome', 'warmer greeting'],
    ]) {
      await create('/api/2.0/mlflow/model-versions/create', {
        name: GREETER,
        source: 'prompt-template',
        description: commit,
        tags: [IS_PROMPT, { key: 'mlflow.prompt.text', value: text }],
      });
    }
    await create('/api/2.0/mlflow/registered-models/alias', {
      name: GREETER,
      alias: 'production',
      version: '1',
    });
    await create('/api/2.0/mlflow/registered-models/create', { name: SUPPORT, tags: [IS_PROMPT] });
    await create('/api/2.0/mlflow/model-versions/create', {
      name: SUPPORT,
      source: 'prompt-template',
      tags: [IS_PROMPT, { key: 'mlflow.prompt.text', value: 'Answer {{question}}' }],
    });
    await create('/api/2.0/mlflow/registered-models/create', { name: PLAIN_MODEL });

    sut = await startArkgate({
      env: {
        MLFLOW_TRACKING_URI: trackingUri,
        GATEWAY_AUTH: 'on',
        GATEWAY_API_KEYS: `web:${API_KEY}`,
      },
    });
  });

  afterAll(() => sut?.close());

  it('lists the prompts with their latest version, aliases and messages, and no plain models', async () => {
    const prompts = await listAll(200);
    const byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));

    expect(byName.get(GREETER)).toEqual({
      name: GREETER,
      latestVersion: '2',
      aliases: { production: '1' },
      description: 'Greets people',
      commitMessage: 'warmer greeting',
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(byName.get(SUPPORT)).toMatchObject({ name: SUPPORT, latestVersion: '1', aliases: {} });
    expect(byName.has(PLAIN_MODEL)).toBe(false);
  });

  it('pages with max_results and nextPageToken, each prompt once', async () => {
    const first = await list('?max_results=1');
    const prompts = await listAll(1);
    const names = prompts.map((prompt) => prompt.name);

    expect(first.body.prompts).toHaveLength(1);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    expect(names).toEqual(expect.arrayContaining([GREETER, SUPPORT]));
    expect(new Set(names).size).toBe(names.length);
  });

  it('answers a page token MLflow cannot read with a 400 naming page_token', async () => {
    const answer = await list('?page_token=not-a-token');

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'page_token',
    });
  });

  it('describes a listed prompt with the variables the playground shows as inputs', async () => {
    const response = await fetch(`${sut.url}/v1/prompts/${GREETER}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const body: Json = await response.json();

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      version: '2',
      uri: `prompts:/${GREETER}/2`,
      variables: ['name'],
    });
  });
});
