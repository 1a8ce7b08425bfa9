import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { MODEL } from './chat.fixtures';
import { getJson, postJson } from './json.client';

/** A stand-in MLflow tracking server that only answers GET /health, with a status a test sets. */
class FakeMlflow {
  status = 200;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeMlflow> {
    const server = createServer((request, response) => {
      const status = request.url === '/health' ? fake.status : 404;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'OK' : '');
    });
    const fake = new FakeMlflow(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('GET /health/ready', () => {
  describe('with tracing on', () => {
    let mlflow: FakeMlflow;
    let sut: ArkgateHarness;

    beforeAll(async () => {
      mlflow = await FakeMlflow.start();
      sut = await startArkgate({
        env: {
          ARK_DEFAULT_MODEL: MODEL,
          TRACING_ENABLED: 'true',
          MLFLOW_TRACKING_URI: mlflow.url,
          READY_MLFLOW_TIMEOUT_MS: '1000',
          READY_REQUIRES_MLFLOW: 'true',
        },
      });
    });

    afterAll(async () => {
      await sut.close();
      await mlflow.close();
    });

    afterEach(() => (mlflow.status = 200));

    it("is ready while MLflow's /health answers, and reports each check", async () => {
      const { status, body } = await getJson(`${sut.url}/health/ready`);

      expect(status).toBe(200);
      expect(body).toEqual({
        status: 'ok',
        info: expect.any(Object),
        error: {},
        details: {
          upstream: { status: 'up' },
          mlflow: { status: 'up', responseTime: expect.any(Number) },
          export_backlog: { status: 'up', backlog: expect.any(Number), max: 50_000 },
        },
      });
    });

    it("answers 503 naming mlflow when MLflow is unhealthy, in terminus' body", async () => {
      mlflow.status = 503;

      const { status, body } = await getJson(`${sut.url}/health/ready`);

      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: 'error',
        error: { mlflow: { status: 'down', message: 'MLflow answered 503' } },
        info: { upstream: { status: 'up' } },
      });
    });

    it('stays live while not ready', async () => {
      mlflow.status = 500;

      const live = await getJson(`${sut.url}/health/live`);

      expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
    });
  });

  describe('with tracing on and READY_REQUIRES_MLFLOW off (the default)', () => {
    let mlflow: FakeMlflow;
    let sut: ArkgateHarness;

    beforeAll(async () => {
      mlflow = await FakeMlflow.start();
      sut = await startArkgate({
        env: {
          ARK_DEFAULT_MODEL: MODEL,
          TRACING_ENABLED: 'true',
          MLFLOW_TRACKING_URI: mlflow.url,
          READY_MLFLOW_TIMEOUT_MS: '1000',
        },
      });
    });

    afterAll(async () => {
      await sut.close();
      await mlflow.close();
    });

    it('stays ready while MLflow is down, reporting it unreachable', async () => {
      mlflow.status = 503;

      const { status, body } = await getJson(`${sut.url}/health/ready`);

      expect(status).toBe(200);
      expect(body).toMatchObject({
        status: 'ok',
        details: { mlflow: { status: 'up', reachable: false, message: 'MLflow answered 503' } },
      });
    });

    it('reports MLflow reachable when it answers', async () => {
      mlflow.status = 200;

      const { body } = await getJson(`${sut.url}/health/ready`);

      expect(body).toMatchObject({ details: { mlflow: { status: 'up', reachable: true } } });
    });
  });

  describe('with an export backlog over READY_MAX_EXPORT_BACKLOG', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: {
          ARK_DEFAULT_MODEL: MODEL,
          TRACING_ENABLED: 'true',
          // Nothing listens there: every export fails and stays queued for a retry.
          MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
          MLFLOW_HTTP_TIMEOUT_MS: '1000',
          EXPORT_RETRY_BASE_MS: '60000',
          READY_MAX_EXPORT_BACKLOG: '1',
        },
      });
    });

    afterAll(() => sut.close());

    it('is not ready, naming the backlog and the threshold', async () => {
      const before = await getJson(`${sut.url}/health/ready`);
      for (const input of ['one', 'two']) {
        expect((await postJson(`${sut.url}/v1/chat`, { input })).status).toBe(200);
      }

      const after = await getJson(`${sut.url}/health/ready`);

      expect(before.body.details.export_backlog).toEqual({ status: 'up', backlog: 0, max: 1 });
      expect(after.status).toBe(503);
      expect(after.body.error.export_backlog).toEqual({ status: 'down', backlog: 2, max: 1 });
    });
  });

  describe('the API document', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate();
    });

    afterAll(() => sut.close());

    it('documents the ready report for 200 and 503', async () => {
      const { body } = await getJson(`${sut.url}/docs-json`);
      const responses = body.paths['/health/ready'].get.responses;

      expect(Object.keys(responses).sort()).toEqual(['200', '503']);
      expect(responses['503'].content['application/json'].schema.example).toMatchObject({
        status: 'error',
        error: expect.any(Object),
      });
    });
  });
});
