import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy on a free loopback port that counts the requests it forwards by
 * `METHOD path`, so a test can see which of several servers a client used.
 */
export class CountingProxy {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly counts: Map<string, number>,
  ) {}

  static async start(target: string): Promise<CountingProxy> {
    const upstream = new URL(target);
    const counts = new Map<string, number>();
    const server = createServer((incoming, outgoing) => {
      const key = `${incoming.method} ${(incoming.url ?? '').split('?')[0]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.once('error', () => outgoing.destroy());
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new CountingProxy(server, `http://127.0.0.1:${port}`, counts);
  }

  /** Requests forwarded as `key`, e.g. `POST /v1/traces`. */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Stops listening and drops open connections: clients then meet a refused connection. */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
