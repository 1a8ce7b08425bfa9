import { connect } from 'node:net';

/**
 * Resolves when a Redis server answers PING at `url` (AUTH first when the URL has credentials);
 * rejects with a message saying how to get one otherwise.
 */
export async function assertRedisAnswers(url: string, timeoutMs = 3_000): Promise<void> {
  const target = new URL(url);
  const host = target.hostname || '127.0.0.1';
  const port = Number(target.port || 6379);
  const commands: string[][] = [];
  if (target.password) {
    const user = decodeURIComponent(target.username);
    const password = decodeURIComponent(target.password);
    commands.push(user ? ['AUTH', user, password] : ['AUTH', password]);
  }
  commands.push(['PING']);
  try {
    const reply = await send(host, port, commands, timeoutMs);
    if (!reply.includes('+PONG')) throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Integration tests need Redis at ${target.host || `${host}:${port}`} (REDIS_URL), but it ` +
        `did not answer PING: ${reason}. Start one, e.g. \`redis-server --daemonize yes\`.`,
    );
  }
}

function send(
  host: string,
  port: number,
  commands: string[][],
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(commands.map(encode).join('')));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.split('\r\n').length > commands.length) {
        socket.end();
        resolve(reply);
      }
    });
  });
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}
