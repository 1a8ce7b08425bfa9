import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteTable } from './model-route.model';
import { loadRoutesFile, type RouteDefaults, RoutesFileError } from './routes-file.loader';

const DEFAULTS: RouteDefaults = {
  baseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3/',
  apiKey: 'ark-default-key',
  maxRetries: 2,
};
const ENV = { ARK_API_KEY_2: 'ark-second-key' };

const ROUTES = {
  breaker: { failures: 3, cooldownSeconds: 12.5 },
  models: {
    'chat-default': {
      price: { input: 0.5, output: 1.5 },
      targets: [
        { model: 'seed-1-6' },
        {
          name: 'backup',
          model: 'seed-1-6-flash',
          baseUrl: 'https://backup.example.com/api/v3//',
          apiKeyEnv: 'ARK_API_KEY_2',
          weight: 3,
          priority: 2,
          price: { input: 0.1, output: 0.2, cachedInput: 0.05 },
        },
      ],
    },
    solo: {
      retries: 4,
      fallbackOn: ['timeout'],
      targets: [{ model: 'deepseek-v3' }],
    },
    single: { targets: [{ model: 'kimi-k2' }] },
    'priced-only': { price: { input: 2, output: 8 } },
  },
};

const YAML = `
breaker:
  failures: 3
  cooldownSeconds: 12.5
models:
  chat-default:
    price: { input: 0.5, output: 1.5 }
    targets:
      - model: seed-1-6
      - name: backup
        model: seed-1-6-flash
        baseUrl: https://backup.example.com/api/v3//
        apiKeyEnv: ARK_API_KEY_2
        weight: 3
        priority: 2
        price: { input: 0.1, output: 0.2, cachedInput: 0.05 }
  solo:
    retries: 4
    fallbackOn: [timeout]
    targets:
      - model: deepseek-v3
  single:
    targets:
      - model: kimi-k2
  priced-only:
    price: { input: 2, output: 8 }
`;

const ALL_KINDS = ['rate_limit', 'server_error', 'timeout', 'connection', 'auth'];

describe(loadRoutesFile.name, () => {
  let dir: string;
  let count = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'arkgate-routes-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(text: string, extension = 'yaml'): string {
    count += 1;
    const path = join(dir, `routes-${count}.${extension}`);
    writeFileSync(path, text);
    return path;
  }

  function load(text: string, defaults: RouteDefaults = DEFAULTS): RouteTable {
    return loadRoutesFile(file(text), defaults, ENV);
  }

  function problem(
    text: string,
    defaults: RouteDefaults = DEFAULTS,
    env: NodeJS.ProcessEnv = ENV,
  ): string {
    const path = file(text);
    let thrown: unknown;
    try {
      loadRoutesFile(path, defaults, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RoutesFileError);
    const message = (thrown as Error).message;
    expect(message.startsWith(`ROUTES_FILE ${path}: `)).toBe(true);
    return message.slice(`ROUTES_FILE ${path}: `.length);
  }

  function target(fields: string): string {
    return `models:\n  a:\n    targets:\n      - ${fields}\n`;
  }

  describe.each([
    ['YAML', () => loadRoutesFile(file(YAML), DEFAULTS, ENV)],
    ['JSON', () => loadRoutesFile(file(JSON.stringify(ROUTES, null, 2), 'json'), DEFAULTS, ENV)],
  ])('a valid %s file', (_, read: () => RouteTable) => {
    let sut: RouteTable;
    beforeAll(() => (sut = read()));

    it('keeps the aliases in the order of the file', () => {
      expect([...sut.routes.keys()]).toEqual(['chat-default', 'solo', 'single', 'priced-only']);
    });

    it('fills a bare target from the defaults and the alias', () => {
      expect(sut.routes.get('chat-default')?.targets[0]).toEqual({
        id: 'seed-1-6@ark.ap-southeast.bytepluses.com',
        model: 'seed-1-6',
        baseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
        host: 'ark.ap-southeast.bytepluses.com',
        apiKey: 'ark-default-key',
        weight: 1,
        priority: 1,
        price: { input: 0.5, output: 1.5 },
      });
    });

    it('keeps what a target sets, its key read from its apiKeyEnv', () => {
      expect(sut.routes.get('chat-default')?.targets[1]).toEqual({
        id: 'backup',
        model: 'seed-1-6-flash',
        baseUrl: 'https://backup.example.com/api/v3',
        host: 'backup.example.com',
        apiKey: 'ark-second-key',
        weight: 3,
        priority: 2,
        price: { input: 0.1, output: 0.2, cachedInput: 0.05 },
      });
    });

    it('names a target without a name by model and host', () => {
      expect(sut.routes.get('solo')?.targets[0].id).toBe(
        'deepseek-v3@ark.ap-southeast.bytepluses.com',
      );
    });

    it('gives a route with several targets no client retries by default', () => {
      expect(sut.routes.get('chat-default')?.retries).toBe(0);
    });

    it('gives a route with one target the default retries', () => {
      expect(sut.routes.get('single')?.retries).toBe(2);
    });

    it('keeps the retries a route sets', () => {
      expect(sut.routes.get('solo')?.retries).toBe(4);
    });

    it('falls back on all five failure kinds by default', () => {
      expect([...(sut.routes.get('chat-default')?.fallbackOn ?? [])].sort()).toEqual(
        [...ALL_KINDS].sort(),
      );
    });

    it('keeps the failure kinds a route falls back on', () => {
      expect([...(sut.routes.get('solo')?.fallbackOn ?? [])]).toEqual(['timeout']);
    });

    it('gives an alias with a price only no targets', () => {
      expect(sut.routes.get('priced-only')).toMatchObject({
        alias: 'priced-only',
        targets: [],
        price: { input: 2, output: 8 },
      });
    });

    it('turns the breaker cooldown into milliseconds', () => {
      expect(sut.breaker).toEqual({ failures: 3, cooldownMs: 12_500 });
    });
  });

  it('opens a breaker after 5 failures for 30 s by default', () => {
    expect(load('models:\n  a:\n    targets:\n      - model: m\n').breaker).toEqual({
      failures: 5,
      cooldownMs: 30_000,
    });
  });

  it('defaults the breaker fields the file leaves out', () => {
    expect(load('breaker:\n  failures: 2\nmodels: {}\n').breaker).toEqual({
      failures: 2,
      cooldownMs: 30_000,
    });
  });

  it('uses the top-level fallbackOn for a route without its own', () => {
    const sut = load(
      'fallbackOn: [rate_limit, auth]\nmodels:\n  a:\n    targets:\n      - model: m\n',
    );

    expect([...(sut.routes.get('a')?.fallbackOn ?? [])]).toEqual(['rate_limit', 'auth']);
  });

  it('refuses an unknown field, naming where it is', () => {
    expect(problem(target('model: m\n        wieght: 2'))).toBe(
      'models.a.targets[0]: Unrecognized key: "wieght"',
    );
  });

  it('refuses an alias defined twice', () => {
    const sut = problem(
      'models:\n  a:\n    price: { input: 1, output: 1 }\n  a:\n    price: { input: 2, output: 2 }\n',
    );

    expect(sut).toMatch(/^is not valid YAML or JSON: Map keys must be unique at line 4/);
  });

  it('refuses a target without a model', () => {
    expect(problem(target('weight: 2'))).toBe(
      'models.a.targets[0].model: Invalid input: expected string, received undefined',
    );
  });

  it('refuses an apiKeyEnv naming an unset variable', () => {
    expect(problem(target('model: m\n        apiKeyEnv: ARK_API_KEY_2'), DEFAULTS, {})).toBe(
      'models.a.targets[0].apiKeyEnv: ARK_API_KEY_2 is not set',
    );
  });

  it('refuses a negative weight', () => {
    expect(problem(target('model: m\n        weight: -1'))).toBe(
      'models.a.targets[0].weight: Too small: expected number to be >=0',
    );
  });

  it('refuses a negative price', () => {
    expect(problem('models:\n  a:\n    price: { input: -0.5, output: 1 }\n')).toBe(
      'models.a.price.input: Too small: expected number to be >=0',
    );
  });

  it('refuses a target without a key when ARK_API_KEY is not set', () => {
    expect(problem(target('model: m'), { ...DEFAULTS, apiKey: undefined })).toBe(
      'models.a.targets[0]: no apiKeyEnv and ARK_API_KEY is not set',
    );
  });

  it('accepts a target with its own key when ARK_API_KEY is not set', () => {
    const sut = load(target('model: m\n        apiKeyEnv: ARK_API_KEY_2'), {
      ...DEFAULTS,
      apiKey: undefined,
    });

    expect(sut.routes.get('a')?.targets[0].apiKey).toBe('ark-second-key');
  });

  it('refuses two targets with the same id, across aliases too', () => {
    const sut = problem(
      'models:\n  a:\n    targets:\n      - model: m\n  b:\n    targets:\n      - model: m\n',
    );

    expect(sut).toBe(
      'models.b.targets[0]: another target is also named "m@ark.ap-southeast.bytepluses.com"; give one a name',
    );
  });

  it('accepts the same model twice when the targets have names', () => {
    const sut = load(
      'models:\n  a:\n    targets:\n      - model: m\n      - model: m\n        name: m-again\n',
    );

    expect(sut.routes.get('a')?.targets.map((t) => t.id)).toEqual([
      'm@ark.ap-southeast.bytepluses.com',
      'm-again',
    ]);
  });

  it('lists every problem of the file at once', () => {
    const sut = problem(
      'models:\n  a:\n    targets:\n      - model: m\n        apiKeyEnv: NOPE\n      - model: m\n        apiKeyEnv: ARK_API_KEY_2\n',
    );

    expect(sut).toBe(
      'models.a.targets[0].apiKeyEnv: NOPE is not set; ' +
        'models.a.targets[1]: another target is also named "m@ark.ap-southeast.bytepluses.com"; give one a name',
    );
  });

  it('refuses a file that does not exist', () => {
    const path = join(dir, 'missing.yaml');

    expect(() => loadRoutesFile(path, DEFAULTS, ENV)).toThrow(RoutesFileError);
    expect(() => loadRoutesFile(path, DEFAULTS, ENV)).toThrow(
      `ROUTES_FILE ${path}: cannot be read (ENOENT`,
    );
  });

  it('refuses text that is not YAML', () => {
    expect(problem('models: [unclosed\n')).toMatch(/^is not valid YAML or JSON: .+ at line 2/);
  });

  it('shows an alias with a dash in brackets', () => {
    expect(
      problem('models:\n  chat-default:\n    targets:\n      - model: m\n        weight: -1\n'),
    ).toBe('models["chat-default"].targets[0].weight: Too small: expected number to be >=0');
  });

  it('shows a problem at the top of the file as such', () => {
    expect(problem('- just\n- a list\n')).toBe(
      '(top level): Invalid input: expected object, received array',
    );
  });

  it('reads the example routes file of the repository', () => {
    const table = loadRoutesFile(join(__dirname, '../../examples/routes.yaml'), DEFAULTS, ENV);

    expect([...table.routes.keys()]).toEqual(['chat-default', 'seed-1-6-thinking-250715']);
    expect(table.routes.get('chat-default')!.targets.map((target) => target.apiKey)).toEqual([
      'ark-default-key',
      'ark-second-key',
      'ark-default-key',
    ]);
  });
});
