import OpenAI from 'openai';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const MAX_RETRIES = 2;

/** One call with the OpenAI Python SDK at its defaults (2 retries); prints what it ended with. */
const PYTHON_CALL = `
import json, sys, openai
client = openai.OpenAI(base_url=sys.argv[1], api_key="unused")
try:
    client.chat.completions.create(
        model=sys.argv[4],
        messages=[{"role": "user", "content": sys.argv[2]}],
        extra_body={"simulator": json.loads(sys.argv[3])},
    )
    print(json.dumps({"status": 200}))
except openai.APIStatusError as error:
    headers = error.response.headers
    print(json.dumps({
        "status": error.status_code,
        "retryAfter": headers.get("retry-after"),
        "shouldRetry": headers.get("x-should-retry"),
        "traceId": headers.get("x-mlflow-trace-id"),
    }))
`;

interface CallOutcome {
  status: number;
  retryAfter?: string | null;
  shouldRetry?: string | null;
  traceId?: string | null;
}

describe('A failing call is retried by one layer only', () => {
  let sut: TracedArkgate;
  let experimentId: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arkgate-retries-'));
    const routes = join(dir, 'routes.yaml');
    writeFileSync(
      routes,
      'models:\n  chat-default:\n    targets:\n' +
        '      - { name: primary, model: seed-1-6-250615 }\n' +
        '      - { name: secondary, model: seed-1-6-flash-250715, priority: 2 }\n',
    );
    sut = await startTracedArkgate({
      experimentName: 'arkgate-retries',
      redisDb: 5,
      env: { ARK_MAX_RETRIES: String(MAX_RETRIES), ROUTES_FILE: routes },
    });
  });

  afterAll(async () => {
    await sut?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => sut.simulator.reset());

  /** The upstream calls made for the question, and the traces MLflow holds for it. */
  async function countFor(question: string) {
    const upstream = sut.simulator.requests.filter((request) =>
      JSON.stringify(request.body).includes(question),
    );
    experimentId ??= await eventually(() => sut.experimentId());
    const filter = `trace.status = 'ERROR'`;
    // Wait for at least one trace, then long enough for any other to have been exported too.
    await sut.reader.waitForTraces({ experimentIds: [experimentId], filter }, 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const traces = (
      await sut.reader.searchTraces({ experimentIds: [experimentId], filter })
    ).filter((trace) => trace.request_preview?.includes(question));
    return { upstream: upstream.length, traces };
  }

  async function callWithPython(
    question: string,
    simulator: object,
    model = 'seed-1-6-250615',
  ): Promise<CallOutcome> {
    const { venv } = readMlflowTestEnv();
    const { stdout } = await promisify(execFile)(
      join(venv, 'bin', 'python'),
      ['-c', PYTHON_CALL, `${sut.url}/v1`, question, JSON.stringify(simulator), model],
      { timeout: 90_000 },
    );
    return JSON.parse(stdout.trim().split('\n').pop()!) as CallOutcome;
  }

  async function callWithNode(
    question: string,
    simulator: object,
    model = 'seed-1-6-250615',
  ): Promise<CallOutcome> {
    const client = new OpenAI({ baseURL: `${sut.url}/v1`, apiKey: 'unused' });
    try {
      await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: question }],
        simulator,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming);
      return { status: 200 };
    } catch (error) {
      if (!(error instanceof OpenAI.APIError)) throw error;
      return {
        status: error.status!,
        retryAfter: error.headers?.get('retry-after'),
        shouldRetry: error.headers?.get('x-should-retry'),
        traceId: error.headers?.get('x-mlflow-trace-id'),
      };
    }
  }

  describe.each([
    ['the OpenAI Python SDK', callWithPython],
    ['the OpenAI Node SDK', callWithNode],
  ])('called with %s at its default retries', (_, call) => {
    it('makes an upstream 500 one trace and 1 + ARK_MAX_RETRIES upstream calls', async () => {
      const question = `Will this fail? ${randomUUID()}`;

      const outcome = await call(question, { scenario: 'error-500', retry_after_ms: 1 });

      expect(outcome).toMatchObject({ status: 502, shouldRetry: 'false' });
      const { upstream, traces } = await countFor(question);
      expect(upstream).toBe(1 + MAX_RETRIES);
      expect(traces.map((trace) => trace.trace_id)).toEqual([outcome.traceId]);
    });

    it("passes a 429 on with ModelArk's retry-after once arkgate has retried", async () => {
      const question = `Too many? ${randomUUID()}`;

      const outcome = await call(question, {
        scenario: 'error-429',
        retry_after: 7,
        retry_after_ms: 1,
      });

      expect(outcome).toMatchObject({ status: 429, retryAfter: '7', shouldRetry: 'false' });
      const { upstream, traces } = await countFor(question);
      expect(upstream).toBe(1 + MAX_RETRIES);
      expect(traces).toHaveLength(1);
    });

    it('makes an alias whose targets all fail one trace showing each, one call per target', async () => {
      const question = `Will every target fail? ${randomUUID()}`;

      const outcome = await call(question, { scenario: 'error-503' }, 'chat-default');

      expect(outcome).toMatchObject({ status: 502, shouldRetry: 'false' });
      const { upstream, traces } = await countFor(question);
      expect(upstream).toBe(2);
      expect(traces.map((trace) => trace.trace_id)).toEqual([outcome.traceId]);
      const spans = await sut.reader.getTraceSpans(outcome.traceId!);
      const attempts = spans
        .filter((span) => span.name === 'Completions')
        .map((span) => [span.attributes['arkgate.route.target'], span.status.code]);
      expect(attempts.sort()).toEqual([
        ['primary', 'ERROR'],
        ['secondary', 'ERROR'],
      ]);
    });
  });
});
