import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { createUpstreamFetch } from './upstream-fetch.adapter';

describe(createUpstreamFetch.name, () => {
  let server: Server;
  let url: string;
  let release: () => void = () => undefined;
  const agent = new Agent();
  const sut = createUpstreamFetch(agent);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/json') {
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
          res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body }));
        } else if (req.url === '/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: first\n\n');
          release = () => res.end('data: last\n\n');
        } else {
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body and hands back a complete Response', async () => {
    const response = await sut(`${url}/json`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"x":1}',
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ method: 'POST', auth: 'Bearer k', body: '{"x":1}' });
  });

  it('passes an event stream on as it arrives, before the upstream has finished', async () => {
    const response = await sut(`${url}/events`, { method: 'GET' });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();

    expect(decoder.decode((await reader.read()).value)).toBe('data: first\n\n');
    release();
    expect(decoder.decode((await reader.read()).value)).toBe('data: last\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('answers a bodiless status without a body', async () => {
    const response = await sut(`${url}/empty`, { method: 'DELETE' });

    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('rejects with an AbortError when the signal fires', async () => {
    const controller = new AbortController();
    const pending = sut(`${url}/events`, { method: 'GET', signal: controller.signal }).then(
      async (response) => response.text(),
    );
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    release();
  });
});
