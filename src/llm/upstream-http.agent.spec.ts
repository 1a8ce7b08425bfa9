import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { createUpstreamFetch } from './upstream-fetch.adapter';
import { createUpstreamDispatcher } from './upstream-http.agent';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

/** A forward proxy that records what it relayed: CONNECT tunnels and absolute-form requests. */
function startProxy(seen: string[]): Server {
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(req.url as string, { method: req.method, headers: req.headers });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url as string).split(':');
    const target = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.write(head);
      target.pipe(socket).pipe(target);
    });
  });
  return proxy;
}

describe(createUpstreamDispatcher.name, () => {
  const seen: string[] = [];
  const target = createServer((req, res) => res.end(`answered ${req.url}`));
  const proxy = startProxy(seen);
  let targetUrl: string;
  let proxyUrl: string;
  const dispatchers: Dispatcher[] = [];

  function fetchThrough(settings: { http: string; https: string; noProxy: string }) {
    const dispatcher = createUpstreamDispatcher(settings);
    dispatchers.push(dispatcher);
    return { dispatcher, fetch: createUpstreamFetch(dispatcher) };
  }

  beforeAll(async () => {
    targetUrl = await listen(target);
    proxyUrl = await listen(proxy);
  });

  beforeEach(() => (seen.length = 0));

  afterAll(async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
    proxy.closeAllConnections();
    target.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => proxy.close(resolve)),
      new Promise((resolve) => target.close(resolve)),
    ]);
  });

  it('is a plain pool when no proxy is set, and calls ModelArk directly', async () => {
    const { dispatcher, fetch } = fetchThrough({ http: '', https: '', noProxy: '' });

    const response = await fetch(`${targetUrl}/v1/models`, { method: 'GET' });

    expect(dispatcher).toBeInstanceOf(Agent);
    expect(dispatcher).not.toBeInstanceOf(EnvHttpProxyAgent);
    expect(await response.text()).toBe('answered /v1/models');
    expect(seen).toEqual([]);
  });

  it('sends the calls through HTTP_PROXY when it is set', async () => {
    const { fetch } = fetchThrough({ http: proxyUrl, https: '', noProxy: '' });

    const response = await fetch(`${targetUrl}/v1/models`, { method: 'GET' });

    expect(await response.text()).toBe('answered /v1/models');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain(new URL(targetUrl).host);
  });

  it('calls a NO_PROXY host directly, whatever the proxy', async () => {
    const { fetch } = fetchThrough({
      http: proxyUrl,
      https: proxyUrl,
      noProxy: 'example.com,127.0.0.1',
    });

    const response = await fetch(`${targetUrl}/v1/models`, { method: 'GET' });

    expect(await response.text()).toBe('answered /v1/models');
    expect(seen).toEqual([]);
  });
});
