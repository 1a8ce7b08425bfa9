import { SimulatorExchange } from './simulator.exchange';
import { SimulatorReply, SseEvent } from './simulator-reply.model';
import { SimulatorScenario } from './simulator-control.model';

export interface ReplyPacing {
  tokenDelayMs: number;
  scenario?: SimulatorScenario;
}

const FLUSH_AT = 64 * 1024;
const MALFORMED_EVENT = 'data: {"id":"malformed","choices":[{"delta":{"content":\n\n';

/** Writes a route's reply as JSON or SSE, applying pacing and the stream-breaking scenarios. */
export class ReplyWriter {
  async write(exchange: SimulatorExchange, reply: SimulatorReply, pacing: ReplyPacing) {
    if (!exchange.isOpen) return;
    if (reply.kind === 'json') return this.writeJson(exchange, reply.status, reply.body, pacing);
    return this.writeSse(exchange, reply.events, reply.done, pacing);
  }

  private writeJson(
    exchange: SimulatorExchange,
    status: number,
    body: unknown,
    pacing: ReplyPacing,
  ) {
    if (pacing.scenario === 'cut-stream') return exchange.cut();
    if (pacing.scenario !== 'malformed-stream') return exchange.sendJson(status, body);
    const text = JSON.stringify(body);
    exchange.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    exchange.end(text.slice(0, Math.ceil(text.length / 2)));
  }

  private async writeSse(
    exchange: SimulatorExchange,
    events: SseEvent[],
    done: boolean,
    pacing: ReplyPacing,
  ) {
    const midpoint = Math.max(1, Math.floor(events.length / 2));
    exchange.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    exchange.res.flushHeaders();
    // Unpaced events are batched into one write: a benchmark baseline should not pay a syscall per chunk.
    let pending = '';
    const flush = async () => {
      const text = pending;
      pending = '';
      return text === '' || exchange.write(text);
    };
    for (const [index, event] of events.entries()) {
      if (index === midpoint && pacing.scenario === 'cut-stream') {
        if (await flush()) exchange.cut();
        return;
      }
      if (index === midpoint && pacing.scenario === 'malformed-stream') pending += MALFORMED_EVENT;
      if (event.paced && pacing.tokenDelayMs > 0) {
        if (!(await flush()) || !(await exchange.pause(pacing.tokenDelayMs))) return;
      }
      pending += this.format(event);
      if (pending.length >= FLUSH_AT && !(await flush())) return;
    }
    if (done) pending += 'data: [DONE]\n\n';
    if (await flush()) exchange.end();
  }

  private format(event: SseEvent): string {
    const data = `data: ${JSON.stringify(event.data)}\n\n`;
    return event.event ? `event: ${event.event}\n${data}` : data;
  }
}
