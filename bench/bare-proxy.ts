/**
 * The floor any Node.js gateway pays: one HTTP hop (node:http in, undici out, one keep-alive pool)
 * that streams the request and the answer through untouched. `/v1/<rest>` goes to `<upstream>/<rest>`.
 * Run: node -r ts-node/register/transpile-only bench/bare-proxy.ts http://127.0.0.1:4010/api/v3 [port]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:4010/api/v3');
const prefix = upstream.pathname.replace(/\/$/, '');
const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host'];

const server = createServer((req, res) => {
  const headers = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  request(new URL(prefix + (req.url ?? '/').replace(/^\/v1/, ''), upstream.origin), {
    method: req.method as 'POST',
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req,
    dispatcher,
  }).then(
    (answer) => {
      const out = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete out[name];
      res.writeHead(answer.statusCode, out);
      answer.body.pipe(res);
    },
    () => res.writeHead(502).end(),
  );
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`BARE_PROXY_READY ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
