import { APIError, APIUserAbortError } from 'openai';
import { mapUpstreamError } from '../llm/upstream-error.mapper';
import type { Tracer } from '../tracing/tracer';
import type { FailureKind } from './routes-file.schema';
import type { ModelRoute, RouteTable, RouteTarget } from './model-route.model';
import { ModelRouter } from './model.router';
import type { RouteTableService } from './route-table.service';

const COOLDOWN = 60_000;
const ALL_KINDS: FailureKind[] = ['rate_limit', 'server_error', 'timeout', 'connection', 'auth'];

function target(id: string, priority: number): RouteTarget {
  return {
    id,
    model: id,
    baseUrl: `https://${id}.example.com/api/v3`,
    host: `${id}.example.com`,
    apiKey: 'k',
    weight: 1,
    priority,
  };
}

function route(alias: string, targets: RouteTarget[], fallbackOn = ALL_KINDS): ModelRoute {
  return { alias, targets, retries: 0, fallbackOn: new Set(fallbackOn) };
}

const failure = (status: number) =>
  mapUpstreamError(
    APIError.generate(status, { error: { message: `failed ${status}` } }, undefined, new Headers()),
  );

const A = target('a', 1);
const B = target('b', 2);
const C = target('c', 3);
const PAIR = route('pair', [B, A]);

function setup(routes: ModelRoute[] = [PAIR]) {
  const table: RouteTable = {
    routes: new Map(routes.map((r) => [r.alias, r])),
    breaker: { failures: 2, cooldownMs: COOLDOWN },
    budgets: new Map(),
  };
  const tables = {
    current: table,
    resolve: (model: string) => table.routes.get(model),
    onReload: () => undefined,
  };
  const tracer = { currentRoot: () => undefined };
  return new ModelRouter(tables as unknown as RouteTableService, tracer as unknown as Tracer);
}

/** An attempt function answering per target id: an error to throw, or a value to return. */
function upstream(answers: Record<string, unknown>) {
  return jest.fn(async (t: RouteTarget) => {
    const answer = answers[t.id];
    if (answer instanceof Error) throw answer;
    return answer ?? `from ${t.id}`;
  });
}

const calledWith = (attempt: jest.Mock) => attempt.mock.calls.map(([t]) => (t as RouteTarget).id);

describe(ModelRouter.name, () => {
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  async function fail(sut: ModelRouter, r: ModelRoute, attempt: jest.Mock): Promise<unknown> {
    return sut.run(r, attempt).then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error,
    );
  }

  it('answers with the first target that succeeds and says which it was', async () => {
    const sut = setup();
    const attempt = upstream({});

    expect(await sut.run(PAIR, attempt)).toEqual({ result: 'from a', target: A });
    expect(calledWith(attempt)).toEqual(['a']);
  });

  it('moves on to the next target after a server error', async () => {
    const sut = setup();
    const attempt = upstream({ a: failure(500) });

    expect(await sut.run(PAIR, attempt)).toEqual({ result: 'from b', target: B });
    expect(calledWith(attempt)).toEqual(['a', 'b']);
  });

  it.each([429, 401, 503])('moves on after a %i', async (status) => {
    const sut = setup();
    const attempt = upstream({ a: failure(status) });

    expect((await sut.run(PAIR, attempt)).target).toBe(B);
  });

  it.each([400, 404, 422])(
    'gives a %i to the caller without trying another target',
    async (status) => {
      const sut = setup();
      const error = failure(status);
      const attempt = upstream({ a: error });

      expect(await fail(sut, PAIR, attempt)).toBe(error);
      expect(calledWith(attempt)).toEqual(['a']);
    },
  );

  it('gives a caller that went away its abort without trying another target', async () => {
    const sut = setup();
    const abort = new APIUserAbortError();
    const attempt = upstream({ a: abort });

    expect(await fail(sut, PAIR, attempt)).toBe(abort);
    expect(calledWith(attempt)).toEqual(['a']);
  });

  it('does not move on after a failure kind the route does not fall back on', async () => {
    const narrow = route('narrow', [A, B], ['rate_limit', 'timeout']);
    const sut = setup([narrow]);
    const error = failure(500);
    const attempt = upstream({ a: error });

    expect(await fail(sut, narrow, attempt)).toBe(error);
    expect(calledWith(attempt)).toEqual(['a']);
  });

  it('gives the caller the last failure when every target failed', async () => {
    const three = route('three', [C, A, B]);
    const sut = setup([three]);
    const last = failure(503);
    const attempt = upstream({ a: failure(500), b: failure(429), c: last });

    expect(await fail(sut, three, attempt)).toBe(last);
    expect(calledWith(attempt)).toEqual(['a', 'b', 'c']);
  });

  it('skips a target whose breaker is open', async () => {
    const sut = setup();
    const attempt = upstream({ a: failure(500) });
    await sut.run(PAIR, attempt);
    await sut.run(PAIR, attempt);
    attempt.mockClear();

    expect(await sut.run(PAIR, attempt)).toEqual({ result: 'from b', target: B });
    expect(calledWith(attempt)).toEqual(['b']);
  });

  it('does not count failures the target is not to blame for', async () => {
    const sut = setup();
    const attempt = upstream({ a: failure(400) });
    await fail(sut, PAIR, attempt);
    await fail(sut, PAIR, attempt);
    await fail(sut, PAIR, attempt);
    attempt.mockClear();

    await fail(sut, PAIR, attempt);
    expect(calledWith(attempt)).toEqual(['a']);
  });

  it('tries a target again once its cooldown is over', async () => {
    const sut = setup();
    const failing = upstream({ a: failure(500) });
    await sut.run(PAIR, failing);
    await sut.run(PAIR, failing);
    now += COOLDOWN;
    const attempt = upstream({});

    expect(await sut.run(PAIR, attempt)).toEqual({ result: 'from a', target: A });
    expect(calledWith(attempt)).toEqual(['a']);
  });

  it('answers 503 at once, not to be retried before the first breaker reopens, when every target is out', async () => {
    const sut = setup();
    const failing = upstream({ a: failure(500), b: failure(500) });
    await fail(sut, PAIR, failing);
    await fail(sut, PAIR, failing);
    now += 1_000;
    const attempt = upstream({});

    const error = await fail(sut, PAIR, attempt);

    expect(calledWith(attempt)).toEqual([]);
    expect(error).toMatchObject({
      status: 503,
      code: 'upstream_unavailable',
      retryable: false,
      retryAfter: String((COOLDOWN - 1_000) / 1000),
    });
  });

  it('lets one trial call through after the cooldown and refuses the calls that come meanwhile', async () => {
    const sut = setup([route('solo', [A])]);
    const failing = upstream({ a: failure(500) });
    await fail(sut, route('solo', [A]), failing);
    await fail(sut, route('solo', [A]), failing);
    now += COOLDOWN;
    let release!: () => void;
    const slow = jest.fn(
      () => new Promise<string>((resolve) => (release = () => resolve('from a'))),
    );

    const trial = sut.run(route('solo', [A]), slow);
    const meanwhile = await fail(sut, route('solo', [A]), upstream({}));
    release();

    expect(meanwhile).toMatchObject({ status: 503 });
    await expect(trial).resolves.toEqual({ result: 'from a', target: A });
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('resolves an alias with targets to its route', () => {
    expect(setup().resolve('pair')).toBe(PAIR);
  });

  it('does not resolve an alias without targets or a model it does not know', () => {
    const sut = setup([PAIR, route('priced-only', [])]);

    expect(sut.resolve('priced-only')).toBeUndefined();
    expect(sut.resolve('seed-1-6')).toBeUndefined();
  });

  it('lists only the aliases that route, in the order of the table', () => {
    const sut = setup([route('z', [C]), route('priced-only', []), PAIR]);

    expect(sut.aliases()).toEqual(['z', 'pair']);
  });
});
