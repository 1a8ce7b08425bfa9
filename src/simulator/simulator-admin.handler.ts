import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestLog } from './request.log';

const PREFIX = '/__simulator';

/** Manual and demo access to the request log: `GET`/`DELETE /__simulator/requests`, `GET /__simulator/health`. */
export class SimulatorAdminHandler {
  constructor(
    private readonly log: RequestLog,
    private readonly reset: () => void,
  ) {}

  handles(pathname: string): boolean {
    return pathname === PREFIX || pathname.startsWith(`${PREFIX}/`);
  }

  handle(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    req.resume();
    const route = `${req.method} ${pathname.replace(/\/+$/, '')}`;
    switch (route) {
      case `GET ${PREFIX}/health`:
        return this.send(res, 200, { status: 'ok' });
      case `GET ${PREFIX}/requests`:
        return this.send(res, 200, { object: 'list', data: this.log.requests });
      case `DELETE ${PREFIX}/requests`:
        this.reset();
        res.writeHead(204).end();
        return;
      default:
        return this.send(res, 404, {
          error: {
            code: 'NotFound',
            message: `No route for ${route}.`,
            param: null,
            type: 'invalid_request_error',
          },
        });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      })
      .end(text);
  }
}
