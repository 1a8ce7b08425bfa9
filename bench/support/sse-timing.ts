import { Agent, request } from 'node:http';

export interface StreamTiming {
  status: number;
  /** ms from sending the request to the first non-empty content delta. */
  firstTokenMs: number;
  /** ms from sending the request to `data: [DONE]` (or the end of the body). */
  lastTokenMs: number;
  /** Arrival time (ms since the request) of every chunk that carried content. */
  tokenArrivalsMs: number[];
}

const agents = new Map<string, Agent>();

function agentFor(origin: string): Agent {
  let agent = agents.get(origin);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    agents.set(origin, agent);
  }
  return agent;
}

/** Sends one streamed chat request and timestamps each SSE event as it arrives off the socket. */
export function timeStream(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<StreamTiming> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const arrivals: number[] = [];
    let lastMs = NaN;
    let pending = '';
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: agentFor(target.origin),
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const at = elapsed();
          pending += chunk;
          const events = pending.split('\n\n');
          pending = events.pop() ?? '';
          for (const event of events) {
            const data = event
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trim())
              .join('\n');
            if (data === '[DONE]') lastMs = at;
            else if (data && hasContent(data)) arrivals.push(at);
          }
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            firstTokenMs: arrivals[0] ?? NaN,
            lastTokenMs: Number.isNaN(lastMs) ? elapsed() : lastMs,
            tokenArrivalsMs: arrivals,
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function hasContent(data: string): boolean {
  try {
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
    return Boolean(chunk.choices?.[0]?.delta?.content);
  } catch {
    return false;
  }
}

/** Opens `count` streams at once; resolves when all ended (rejections counted, not thrown). */
export async function holdStreams(
  url: string,
  body: string,
  count: number,
): Promise<{ completed: number; failed: number }> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => timeStream(url, body)),
  );
  const completed = results.filter(
    (result) => result.status === 'fulfilled' && result.value.status === 200,
  ).length;
  return { completed, failed: count - completed };
}
