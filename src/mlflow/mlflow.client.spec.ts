import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeFetch } from '../../test/support/fake-fetch';
import { MlflowClient } from './mlflow.client';
import { MlflowRequestError } from './mlflow-request.error';

describe(MlflowClient.name, () => {
  function setup(
    options: { token?: string; username?: string; password?: string; timeoutMs?: number } = {},
  ) {
    const server = new FakeFetch();
    const sut = new MlflowClient({
      trackingUri: 'http://mlflow:5000/prefix/',
      fetch: server.fetch,
      ...options,
    });
    return { sut, server };
  }

  it('sends JSON to the tracking URI, keeping its path prefix, and parses the answer', async () => {
    const { sut, server } = setup();
    server.on('POST', '/prefix/api/2.0/mlflow/experiments/create', {
      json: { experiment_id: '3' },
    });

    const result = await sut.post('/api/2.0/mlflow/experiments/create', { name: 'e' });

    expect(result).toEqual({ experiment_id: '3' });
    expect(server.requests[0]).toMatchObject({
      json: { name: 'e' },
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
    expect(server.requests[0].headers).not.toHaveProperty('authorization');
  });

  it('sends binary bodies with their content type and query parameters', async () => {
    const { sut, server } = setup();
    server.on('POST', '/prefix/v1/traces', { text: '', contentType: 'application/x-protobuf' });
    server.on('GET', '/prefix/api/2.0/mlflow/experiments/get-by-name', { json: {} });

    await sut.request({
      method: 'POST',
      path: '/v1/traces',
      body: new Uint8Array([1, 2, 3]),
      contentType: 'application/x-protobuf',
      headers: { 'x-mlflow-experiment-id': '3' },
    });
    await sut.get('/api/2.0/mlflow/experiments/get-by-name', {
      experiment_name: 'a b',
      skip: undefined,
    });

    expect(server.requests[0].headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'x-mlflow-experiment-id': '3',
    });
    expect(server.requests[0].body).toEqual(new Uint8Array([1, 2, 3]));
    expect(Object.fromEntries(server.requests[1].query)).toEqual({ experiment_name: 'a b' });
  });

  it.each([
    [{ token: 't0k' }, 'Bearer t0k'],
    [{ username: 'ann', password: 'pw' }, `Basic ${Buffer.from('ann:pw').toString('base64')}`],
    [{ token: 't0k', username: 'ann', password: 'pw' }, 'Bearer t0k'],
  ])('authenticates with %o', async (options, header) => {
    const { sut, server } = setup(options);
    server.on('GET', '/prefix/version', { text: '3.18.0', contentType: 'text/plain' });

    expect(await sut.get('/version')).toBe('3.18.0');
    expect(server.requests[0].headers.authorization).toBe(header);
  });

  it('turns an MLflow error body into a typed error', async () => {
    const { sut, server } = setup();
    server.on('GET', '/prefix/api/3.0/mlflow/traces/tr-1', {
      status: 404,
      json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Trace with ID 'tr-1' not found." },
    });

    const failure = await sut.get('/api/3.0/mlflow/traces/tr-1').catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(MlflowRequestError);
    expect(failure).toMatchObject({
      status: 404,
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
      retryable: false,
      method: 'GET',
      path: '/api/3.0/mlflow/traces/tr-1',
    });
  });

  it('reads FastAPI `detail` bodies and falls back to HTTP_<status> without a code', async () => {
    const { sut, server } = setup();
    server.on('POST', '/prefix/v1/traces', {
      status: 501,
      json: { detail: 'REST OTLP span logging is not supported by FileStore' },
    });

    const failure = await sut.post('/v1/traces', {}).catch((e: unknown) => e);

    expect(failure).toMatchObject({
      status: 501,
      errorCode: 'HTTP_501',
      retryable: false,
      message: expect.stringContaining('not supported by FileStore'),
    });
  });

  it('classifies a refused connection as a retryable network error', async () => {
    const { sut, server } = setup();
    server.on(
      'GET',
      '/prefix/health',
      new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }),
    );

    const failure = await sut.get('/health').catch((e: unknown) => e);

    expect(failure).toMatchObject({
      status: undefined,
      errorCode: 'NETWORK_ERROR',
      retryable: true,
    });
    expect((failure as Error).message).toContain('ECONNREFUSED');
  });

  it('gives up after the timeout with a retryable TIMEOUT', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    const sut = new MlflowClient({
      trackingUri: 'http://mlflow:5000',
      timeoutMs: 20,
      fetch: hanging,
    });

    const failure = await sut.get('/health').catch((e: unknown) => e);

    expect(failure).toMatchObject({ errorCode: 'TIMEOUT', retryable: true, status: undefined });
  });
});

describe(`${MlflowClient.name} with several tracking servers`, () => {
  let servers: Server[];
  let hits: number[];

  const listen = (status: number) =>
    new Promise<Server>((resolve) => {
      const index = servers.length;
      const server = createServer((_request, response) => {
        hits[index] += 1;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status === 200 ? { served_by: index } : { message: 'busy' }));
      });
      servers.push(server);
      hits.push(0);
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeEach(() => {
    servers = [];
    hits = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('spreads requests over the servers', async () => {
    const [a, b] = [await listen(200), await listen(200)];
    const sut = new MlflowClient({ trackingUri: `${urlOf(a)},${urlOf(b)}` });

    for (let i = 0; i < 4; i += 1) await sut.get('/health');

    expect(hits).toEqual([2, 2]);
  });

  it('sends a request a server refused to the next one at once, and skips it for a while', async () => {
    const [live] = [await listen(200)];
    const dead = await listen(200);
    const deadUrl = urlOf(dead);
    await new Promise((resolve) => dead.close(resolve));
    const sut = new MlflowClient({ trackingUri: `${deadUrl},${urlOf(live)}` });

    const answers = [await sut.get('/health'), await sut.get('/health'), await sut.get('/health')];

    expect(answers).toEqual([{ served_by: 0 }, { served_by: 0 }, { served_by: 0 }]);
    expect(hits[0]).toBe(3);
  });

  it('passes a 503 over to the next server, but not a 4xx', async () => {
    const [busy, live] = [await listen(503), await listen(200)];
    const sut = new MlflowClient({ trackingUri: `${urlOf(busy)},${urlOf(live)}` });
    await expect(sut.get('/x')).resolves.toEqual({ served_by: 1 });

    const [bad] = [await listen(400)];
    const strict = new MlflowClient({ trackingUri: `${urlOf(bad)},${urlOf(live)}` });
    await expect(strict.get('/x')).rejects.toMatchObject({ status: 400 });
  });

  it('does not send a 503-answered write that may not be idempotent to the next server', async () => {
    const [busy, live] = [await listen(503), await listen(200)];
    const sut = new MlflowClient({ trackingUri: `${urlOf(busy)},${urlOf(live)}` });

    await expect(sut.post('/assessments', {})).rejects.toMatchObject({ status: 503 });
    await expect(sut.post('/v1/traces', {}, { idempotent: true })).resolves.toEqual({
      served_by: 1,
    });
    expect(hits).toEqual([1, 1]);
  });

  it('fails with the last error when no server takes the request', async () => {
    const [a, b] = [await listen(503), await listen(503)];
    const sut = new MlflowClient({ trackingUri: `${urlOf(a)},${urlOf(b)}` });
    await expect(sut.get('/x')).rejects.toBeInstanceOf(MlflowRequestError);
    expect(hits).toEqual([1, 1]);
  });
});
