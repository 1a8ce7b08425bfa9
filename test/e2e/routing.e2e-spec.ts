import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArkgateHarness, startArkgate, type ArkgateEnv } from '../support/arkgate.harness';
import { freePort as closedPort } from '../support/child-services';
import { openSse, dataOf } from '../support/sse.client';
import { userSays } from './chat.fixtures';
import { getJson, postJson } from './json.client';

const PRIMARY = 'seed-1-6-250615';
const SECONDARY = 'seed-1-6-flash-250715';

const dir = mkdtempSync(join(tmpdir(), 'arkgate-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function routesFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function routedArkgate(routes: string, env: ArkgateEnv = {}): Promise<ArkgateHarness> {
  return startArkgate({ env: { ROUTES_FILE: routesFile(`${Date.now()}.yaml`, routes), ...env } });
}

const chat = (sut: ArkgateHarness, model: string, simulator?: object) =>
  postJson(`${sut.url}/v1/chat/completions`, { model, messages: userSays('hi'), simulator });

/** The models the simulator was asked for, with the status it answered, in order. */
const upstreamCalls = (sut: ArkgateHarness) =>
  sut.simulator.requests
    .filter((request) => request.path.endsWith('/chat/completions'))
    .map((request) => `${(request.body as { model: string }).model} ${request.status}`);

describe('Model aliases from ROUTES_FILE', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    const down = `http://127.0.0.1:${await closedPort()}/api/v3`;
    sut = await routedArkgate(
      `
models:
  chat-default:
    targets:
      - { name: primary, model: ${PRIMARY} }
      - { name: secondary, model: ${SECONDARY}, priority: 2 }
  unreachable-first:
    targets:
      - { name: down, model: ${PRIMARY}, baseUrl: "${down}" }
      - { name: up, model: ${SECONDARY}, priority: 2 }
  wrong-key-first:
    targets:
      - { name: wrong-key, model: ${PRIMARY}, apiKeyEnv: ARK_API_KEY_2 }
      - { name: right-key, model: ${SECONDARY}, priority: 2 }
  balanced:
    targets:
      - { name: heavy, model: ${PRIMARY}, weight: 3 }
      - { name: light, model: ${SECONDARY}, weight: 1 }
`,
      { ARK_API_KEY_2: 'sk-not-the-simulators' } as ArkgateEnv,
    );
  });

  afterAll(() => sut?.close());

  beforeEach(() => sut.simulator.reset());

  it('sends an alias to its first target and says which one served it', async () => {
    const answer = await chat(sut, 'chat-default');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-arkgate-target')).toBe('primary');
    expect(answer.body.model).toBe(PRIMARY);
    expect(upstreamCalls(sut)).toEqual([`${PRIMARY} 200`]);
  });

  it.each([
    ['a 500', 'error-500', 500],
    ['a 503', 'error-503', 503],
    ['a 429', 'error-429', 429],
  ])('falls back to the next target on %s of the first', async (_, scenario, status) => {
    const answer = await chat(sut, 'chat-default', { scenario, models: [PRIMARY] });

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-arkgate-target')).toBe('secondary');
    expect(upstreamCalls(sut)).toEqual([`${PRIMARY} ${status}`, `${SECONDARY} 200`]);
  });

  it('falls back when the first target cannot be reached', async () => {
    const answer = await chat(sut, 'unreachable-first');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-arkgate-target')).toBe('up');
  });

  it("falls back when ModelArk refuses a target's key, which is read from its apiKeyEnv", async () => {
    const answer = await chat(sut, 'wrong-key-first');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-arkgate-target')).toBe('right-key');
    const keys = sut.simulator.requests.map((request) => request.headers.authorization);
    expect(keys).toEqual(['Bearer sk-not-the-simulators', 'Bearer sk-arkgate-test']);
  });

  it('does not fall back on an error the request caused, and says not to retry', async () => {
    const answer = await chat(sut, 'chat-default', { scenario: 'error-400', models: [PRIMARY] });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-should-retry')).toBe('false');
    expect(upstreamCalls(sut)).toEqual([`${PRIMARY} 400`]);
  });

  it('answers the last error, not to be retried, when every target failed', async () => {
    const answer = await chat(sut, 'chat-default', { scenario: 'error-503' });

    expect(answer.status).toBe(502);
    expect(answer.headers.get('x-should-retry')).toBe('false');
    expect(answer.headers.get('x-arkgate-target')).toBeNull();
    expect(answer.body.error).toMatchObject({ code: 'upstream_unavailable', type: 'server_error' });
    expect(upstreamCalls(sut)).toEqual([`${PRIMARY} 503`, `${SECONDARY} 503`]);
  });

  it('falls back before a stream has started, then streams from the next target', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: {
        model: 'chat-default',
        messages: userSays('hi'),
        stream: true,
        simulator: { scenario: 'error-500', models: [PRIMARY] },
      },
    });
    const events = (await stream.readAll()).filter((event) => event.data);

    expect(stream.status).toBe(200);
    expect(stream.headers['x-arkgate-target']).toBe('secondary');
    expect(dataOf<{ model: string }>(events[0]).model).toBe(SECONDARY);
    expect(events.at(-1)!.data).toBe('[DONE]');
  });

  it('spreads calls over targets of one priority by weight', async () => {
    const served: string[] = [];
    for (let call = 0; call < 1000; call += 1) {
      served.push((await chat(sut, 'balanced')).headers.get('x-arkgate-target')!);
    }

    const heavy = served.filter((target) => target === 'heavy').length / served.length;
    expect(served.every((target) => target === 'heavy' || target === 'light')).toBe(true);
    expect(heavy).toBeGreaterThan(0.7);
    expect(heavy).toBeLessThan(0.8);
    // A thousand calls one after the other: seconds on a busy shared machine.
  }, 60_000);

  it('leaves a model name that is no alias to ARK_BASE_URL, with no target header', async () => {
    const answer = await chat(sut, PRIMARY);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-arkgate-target')).toBeNull();
  });

  it('lists the aliases after the models ModelArk offers', async () => {
    const { body } = await getJson(`${sut.url}/v1/models`);
    const ids = (body.data as { id: string; owned_by: string }[]).map((model) => model.id);

    expect(ids).toEqual(expect.arrayContaining([PRIMARY, 'chat-default', 'balanced']));
    expect(body.data.find((model: { id: string }) => model.id === 'chat-default')).toEqual({
      id: 'chat-default',
      object: 'model',
      created: 0,
      owned_by: 'arkgate',
    });
  });

  it('counts attempts and fallbacks per target', async () => {
    await chat(sut, 'chat-default', { scenario: 'error-500', models: [PRIMARY] });
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();

    expect(metrics).toMatch(
      /arkgate_route_attempts_total\{route="chat-default",target="primary",outcome="error"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /arkgate_route_fallbacks_total\{route="chat-default",target="primary"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /arkgate_route_breaker_state\{route="chat-default",target="secondary"\} 0/,
    );
  });
});

describe('A target that keeps failing', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await routedArkgate(`
breaker: { failures: 2, cooldownSeconds: 1 }
models:
  chat-default:
    targets:
      - { name: primary, model: ${PRIMARY} }
      - { name: secondary, model: ${SECONDARY}, priority: 2 }
`);
  });

  afterAll(() => sut?.close());

  it('is skipped while its breaker is open, then tried again once and back in use', async () => {
    for (let call = 0; call < 2; call += 1) {
      await chat(sut, 'chat-default', { scenario: 'error-500', models: [PRIMARY] });
    }
    sut.simulator.reset();

    const whileOpen = await chat(sut, 'chat-default');
    expect(whileOpen.headers.get('x-arkgate-target')).toBe('secondary');
    expect(upstreamCalls(sut)).toEqual([`${SECONDARY} 200`]);
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    expect(metrics).toContain(
      'arkgate_route_breaker_state{route="chat-default",target="primary"} 1',
    );

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const trial = await chat(sut, 'chat-default');
    const after = await chat(sut, 'chat-default');

    expect(trial.headers.get('x-arkgate-target')).toBe('primary');
    expect(after.headers.get('x-arkgate-target')).toBe('primary');
  });
});

describe('An alias whose only target keeps failing', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await routedArkgate(`
breaker: { failures: 2, cooldownSeconds: 30 }
models:
  solo:
    targets:
      - { name: only, model: ${PRIMARY} }
`);
  });

  afterAll(() => sut?.close());

  it('is answered 503 at once while its breaker is open, with no upstream call', async () => {
    for (let call = 0; call < 2; call += 1) {
      expect((await chat(sut, 'solo', { scenario: 'error-500' })).status).toBe(502);
    }
    sut.simulator.reset();

    const refused = await chat(sut, 'solo');

    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(refused.body.error).toMatchObject({
      type: 'service_unavailable_error',
      code: 'upstream_unavailable',
      message: expect.stringContaining('Every target of "solo" failed repeatedly'),
    });
    expect(upstreamCalls(sut)).toEqual([]);
  });
});

describe('A routes file that cannot be used', () => {
  it.each([
    [
      'an unknown field',
      `models:\n  a:\n    targets:\n      - { model: m, wieght: 2 }\n`,
      'models.a.targets[0]: Unrecognized key: "wieght"',
    ],
    ['a duplicate alias', `models:\n  a: {}\n  a: {}\n`, 'Map keys must be unique'],
    [
      'a target without a model',
      `models:\n  chat-default:\n    targets:\n      - { weight: 1 }\n`,
      'models["chat-default"].targets[0].model',
    ],
    [
      'a key variable that is not set',
      `models:\n  a:\n    targets:\n      - { model: m, apiKeyEnv: ARK_KEY_NOT_SET }\n`,
      'models.a.targets[0].apiKeyEnv: ARK_KEY_NOT_SET is not set',
    ],
    [
      'a negative weight',
      `models:\n  a:\n    targets:\n      - { model: m, weight: -1 }\n`,
      'models.a.targets[0].weight',
    ],
    [
      'a negative price',
      `models:\n  a:\n    price: { input: -1, output: 2 }\n`,
      'models.a.price.input',
    ],
  ])('stops the start on %s, naming the file, the path and the reason', async (_, text, reason) => {
    const file = routesFile(`bad-${Date.now()}.yaml`, text);

    const started = startArkgate({ env: { ROUTES_FILE: file } });

    await expect(started).rejects.toThrow(`ROUTES_FILE ${file}: `);
    await expect(started).rejects.toThrow(reason);
  });
});

describe('Routes reloaded while running', () => {
  let sut: ArkgateHarness;
  let file: string;

  beforeAll(async () => {
    file = routesFile(
      'reloaded.yaml',
      `models:\n  first:\n    targets:\n      - { model: ${PRIMARY} }\n`,
    );
    sut = await startArkgate({ env: { ROUTES_FILE: file } });
  });

  afterAll(() => sut?.close());

  const aliases = async () =>
    ((await getJson(`${sut.url}/v1/models`)).body.data as { id: string; owned_by: string }[])
      .filter((model) => model.owned_by === 'arkgate')
      .map((model) => model.id);

  it('picks up an edit of the file, and keeps the routes in use when an edit is invalid', async () => {
    expect(await aliases()).toEqual(['first']);

    writeFileSync(file, `models:\n  second:\n    targets:\n      - { model: ${SECONDARY} }\n`);
    await waitFor(async () => (await aliases()).includes('second'));
    expect(await aliases()).toEqual(['second']);

    writeFileSync(file, `models:\n  third:\n    targets:\n      - { wieght: 1 }\n`);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await aliases()).toEqual(['second']);
    expect((await chat(sut, 'second')).headers.get('x-arkgate-target')).toMatch(/^seed-1-6-flash/);
  });
});

describe('Routes mounted as a Kubernetes ConfigMap', () => {
  let sut: ArkgateHarness;
  let mount: string;

  /** A ConfigMap volume: routes.yaml -> ..data/routes.yaml, ..data -> a versioned directory. */
  function publish(version: string, alias: string): void {
    const versioned = join(mount, `..${version}`);
    mkdirSync(versioned);
    writeFileSync(
      join(versioned, 'routes.yaml'),
      `models:\n  ${alias}:\n    targets:\n      - { model: ${PRIMARY} }\n`,
    );
    symlinkSync(`..${version}`, join(mount, '..data_tmp'));
    renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
  }

  beforeAll(async () => {
    mount = mkdtempSync(join(dir, 'configmap-'));
    publish('v1', 'before');
    symlinkSync('..data/routes.yaml', join(mount, 'routes.yaml'));
    sut = await startArkgate({ env: { ROUTES_FILE: join(mount, 'routes.yaml') } });
  });

  afterAll(() => sut?.close());

  it('picks up a new version swapped in behind the symlink', async () => {
    const aliases = async () =>
      ((await getJson(`${sut.url}/v1/models`)).body.data as { id: string; owned_by: string }[])
        .filter((model) => model.owned_by === 'arkgate')
        .map((model) => model.id);
    expect(await aliases()).toEqual(['before']);

    publish('v2', 'after');

    await waitFor(async () => (await aliases()).includes('after'));
    expect(await aliases()).toEqual(['after']);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
