import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/** One Server-Sent Events message: an event (`data`, maybe a name) or a comment line. */
export interface SseMessage {
  /** The `event:` field; absent for unnamed events and comments. */
  event?: string;
  /** The `data:` lines joined with `\n`; '' for a comment. */
  data: string;
  /** The text of a `: comment` line (e.g. `keep-alive`). */
  comment?: string;
}

export interface SseRequestOptions {
  method?: string;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** True for `data: [DONE]`, an `event: done`/`event: error`, and OpenAI's `data: {"error": ...}`. */
export function isTerminal(message: SseMessage): boolean {
  if (message.comment !== undefined) return false;
  if (message.data === '[DONE]') return true;
  if (message.event === 'done' || message.event === 'error') return true;
  return message.event === undefined && message.data.startsWith('{"error":');
}

/** The parsed JSON payload of an event. */
export function dataOf<T = Record<string, unknown>>(message: SseMessage): T {
  return JSON.parse(message.data) as T;
}

/**
 * A streaming HTTP response read as SSE, message by message, as the bytes arrive. Each message is
 * handed out once, whether through `next()`, iteration or a `read...()` helper.
 */
export class SseResponse implements AsyncIterable<SseMessage> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  private readonly queue: SseMessage[] = [];
  private readonly waiters: Array<() => void> = [];
  private buffer = '';
  private raw = '';
  private dataLines: string[] = [];
  private eventName?: string;
  private finished = false;
  private failure?: Error;
  readonly ended: Promise<void>;

  constructor(private readonly response: IncomingMessage) {
    this.status = response.statusCode ?? 0;
    this.headers = response.headers;
    response.setEncoding('utf8');
    response.on('data', (text: string) => this.push(text));
    this.ended = new Promise((resolve) => {
      const finish = (error?: Error) => {
        if (this.finished) return;
        this.finished = true;
        this.failure = error;
        this.wake();
        resolve();
      };
      response.once('end', () => finish());
      response.once('error', (error) => finish(error));
      response.once('close', () => finish());
    });
  }

  /** Everything received so far, as text. */
  get text(): string {
    return this.raw;
  }

  /** Whether the server ended the body (or the connection closed). */
  get isEnded(): boolean {
    return this.finished;
  }

  /** The next message (comments included), or undefined once the body has ended. */
  async next(): Promise<SseMessage | undefined> {
    for (;;) {
      const message = this.queue.shift();
      if (message) return message;
      if (this.finished) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The next message that is not a comment. */
  async nextEvent(): Promise<SseMessage | undefined> {
    for (;;) {
      const message = await this.next();
      if (message?.comment === undefined) return message;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SseMessage> {
    for (;;) {
      const message = await this.next();
      if (!message) return;
      yield message;
    }
  }

  /** Messages up to and including the first that `stop` accepts, or up to the end of the body. */
  async readUntil(stop: (message: SseMessage) => boolean): Promise<SseMessage[]> {
    const messages: SseMessage[] = [];
    for await (const message of this) {
      messages.push(message);
      if (stop(message)) break;
    }
    return messages;
  }

  /** Messages up to and including `[DONE]` or the terminal `done`/`error` event. */
  readUntilTerminal(): Promise<SseMessage[]> {
    return this.readUntil(isTerminal);
  }

  /** Every remaining message, once the server ended the body. */
  async readAll(): Promise<SseMessage[]> {
    return this.readUntil(() => false);
  }

  /** The whole body as text, once it has ended (for answers that are not SSE, e.g. errors). */
  async body(): Promise<string> {
    await this.ended;
    return this.raw;
  }

  /** The whole body parsed as JSON. */
  async json<T = Record<string, unknown>>(): Promise<T> {
    return JSON.parse(await this.body()) as T;
  }

  /** Hangs up: destroys the socket without reading further, as a browser tab closing would. */
  close(): void {
    this.response.socket?.destroy();
    this.response.destroy();
  }

  /** The error the connection failed with, if any (a server cut, not our own close). */
  get error(): Error | undefined {
    return this.failure;
  }

  private push(text: string): void {
    this.raw += text;
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
    this.wake();
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.queue.push({ data: '', comment: line.slice(1).trimStart() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }

  private dispatch(): void {
    if (this.dataLines.length === 0 && this.eventName === undefined) return;
    const message: SseMessage = { data: this.dataLines.join('\n') };
    if (this.eventName !== undefined) message.event = this.eventName;
    this.queue.push(message);
    this.dataLines = [];
    this.eventName = undefined;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/**
 * Opens `url` with a raw `node:http` request (no agent reuse, so `close()` really hangs up) and
 * resolves once the status and headers are in; the body is then read as SSE.
 */
export function openSse(url: string, options: SseRequestOptions = {}): Promise<SseResponse> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, headers = {} } = options;
  const payload = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  const requestHeaders: Record<string, string> = { accept: 'text/event-stream', ...headers };
  if (payload !== undefined) {
    requestHeaders['content-type'] ??= 'application/json';
    requestHeaders['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: requestHeaders, agent: false });
    req.once('response', (response) => resolve(new SseResponse(response)));
    req.once('error', reject);
    req.end(payload);
  });
}
