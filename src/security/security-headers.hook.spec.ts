import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import helmet from 'helmet';
import { addSecurityHeaders, securityHeadersOf } from './security-headers.hook';
import { SECURITY_HEADERS } from './security-headers.options';

const TRANSPORT = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'content-type',
  'transfer-encoding',
]);

function ownHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!TRANSPORT.has(name)) headers[name] = value;
  });
  return headers;
}

describe('security headers', () => {
  let helmetServer: Server;
  let helmetUrl: string;

  beforeAll(async () => {
    const middleware = helmet(SECURITY_HEADERS);
    helmetServer = createServer((req, res) => middleware(req, res, () => res.end('ok')));
    await new Promise<void>((resolve) => helmetServer.listen(0, '127.0.0.1', resolve));
    helmetUrl = `http://127.0.0.1:${(helmetServer.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise((resolve) => helmetServer.close(resolve)));

  it("are the headers helmet's middleware sets on a real answer", async () => {
    const fromHelmet = ownHeaders(await fetch(helmetUrl));
    const computed = Object.fromEntries(
      securityHeadersOf(SECURITY_HEADERS).map(([name, value]) => [name.toLowerCase(), value]),
    );

    expect(Object.keys(fromHelmet).length).toBeGreaterThan(8);
    expect(computed).toEqual(fromHelmet);
  });

  it('are sent on every fastify answer, errors included', async () => {
    const fastify = Fastify();
    addSecurityHeaders(fastify);
    fastify.get('/ok', () => ({ ok: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = fastify.server.address() as AddressInfo;
      const fromHelmet = ownHeaders(await fetch(helmetUrl));
      const ok = await fetch(`http://127.0.0.1:${port}/ok`);
      const missing = await fetch(`http://127.0.0.1:${port}/missing`);

      expect(ok.status).toBe(200);
      expect(missing.status).toBe(404);
      expect(ownHeaders(ok)).toEqual(fromHelmet);
      expect(ownHeaders(missing)).toEqual(fromHelmet);
    } finally {
      await fastify.close();
    }
  });

  it('refuses a policy helmet refuses', () => {
    expect(() =>
      securityHeadersOf({ contentSecurityPolicy: { directives: { 'bad directive': ['x'] } } }),
    ).toThrow();
  });
});
