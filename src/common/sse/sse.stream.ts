import { SseBody } from './sse-body';

/** Headers every SSE response carries (no caching, no proxy buffering). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * Writes a Server-Sent Events body: events as soon as they are produced, with `: keep-alive`
 * comments while the stream is quiet. Fastify destroys `readable` when the client goes away,
 * which closes this stream.
 */
export class SseStream {
  readonly readable = new SseBody();
  private readonly keepAlive: NodeJS.Timeout;
  private closed = false;

  constructor(keepAliveMs: number) {
    this.keepAlive = setTimeout(() => this.sendKeepAlive(), keepAliveMs);
    this.keepAlive.unref();
    this.readable.once('close', () => this.close());
    // Sends the headers at once, so EventSource and fetch callers see the stream open.
    this.readable.write(': stream open\n\n');
  }

  get open(): boolean {
    return !this.closed;
  }

  /** `data: <json>` with no event name (OpenAI's framing). */
  data(payload: unknown): Promise<void> {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return this.write(`data: ${text}\n\n`);
  }

  /** A named event with a JSON payload. */
  event(name: string, payload: unknown): Promise<void> {
    return this.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  /** Ends the body after what was written; safe to call twice. */
  end(): void {
    if (this.closed) return;
    this.close();
    this.readable.end();
  }

  private close(): void {
    this.closed = true;
    clearTimeout(this.keepAlive);
  }

  private async write(chunk: string): Promise<void> {
    if (this.closed) return;
    this.keepAlive.refresh();
    if (this.readable.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.readable.off('drain', done);
        this.readable.off('close', done);
        resolve();
      };
      this.readable.on('drain', done);
      this.readable.on('close', done);
    });
  }

  private sendKeepAlive(): void {
    if (this.closed) return;
    this.readable.write(': keep-alive\n\n');
    this.keepAlive.refresh();
  }
}
