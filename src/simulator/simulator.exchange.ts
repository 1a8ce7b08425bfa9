import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { SimulatorRequest } from './simulator-request.model';

/**
 * One request/response pair. It notices when the connection closes, marks the logged request
 * `aborted` when the client left early, and wakes every pending pause or write, so nothing keeps
 * running, or writing, after the client is gone.
 */
export class SimulatorExchange {
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private cutByServer = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly record: SimulatorRequest,
    private readonly onChange: () => void,
  ) {
    res.once('finish', () => this.update(() => (record.completed = true)));
    res.once('close', () => this.onClose());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  /** Resolves true after `ms`, or false as soon as the connection closes. */
  pause(ms: number): Promise<boolean> {
    if (this.closed || ms <= 0) return Promise.resolve(!this.closed);
    return this.until((wake) => {
      const timer = setTimeout(wake, ms);
      return () => clearTimeout(timer);
    });
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): void {
    if (this.closed) return;
    this.res.writeHead(status, headers);
    this.update(() => (this.record.status = status));
  }

  /** Writes a chunk, waiting for `drain` when the socket is full; false once the connection closed. */
  write(chunk: string): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.res.write(chunk)) return Promise.resolve(true);
    return this.until((wake) => {
      this.res.once('drain', wake);
      return () => this.res.off('drain', wake);
    });
  }

  end(chunk?: string): void {
    if (this.closed) return;
    this.res.end(chunk);
  }

  sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    const text = JSON.stringify(body);
    this.writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    this.end(text);
  }

  /** Drops the connection on purpose; the request is then neither completed nor aborted. */
  cut(): void {
    if (this.closed) return;
    this.cutByServer = true;
    const socket = this.res.socket;
    // Ending the socket, rather than destroying it, lets the bytes already written reach the client.
    if (socket) socket.end(() => socket.destroy());
    else this.res.destroy();
  }

  private until(arm: (wake: () => void) => () => void): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        disarm();
        this.wakers.delete(wake);
        resolve(!this.closed);
      };
      const disarm = arm(wake);
      this.wakers.add(wake);
    });
  }

  private onClose(): void {
    this.closed = true;
    if (!this.res.writableFinished && !this.cutByServer) {
      this.update(() => (this.record.aborted = true));
    }
    for (const wake of [...this.wakers]) wake();
  }

  /** Mutates the logged request and lets waiters look at it again. */
  update(mutate: () => void): void {
    mutate();
    this.onChange();
  }
}
