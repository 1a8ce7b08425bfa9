import type { SseBody, SseStreamEnd } from './sse-body';
import { SseStream } from './sse.stream';

/** A stream of items to relay; `abort` cancels whatever produces them (the upstream request). */
export interface RelayedStream<T> extends AsyncIterable<T> {
  abort?(reason: Error): void;
}

/** How one route frames its items as Server-Sent Events. */
export interface SseFraming<T> {
  /** Writes one item (or nothing, for an item the route's clients do not see). */
  item(item: T, sse: SseStream): Promise<void> | void;
  /** The terminal event of a stream that completed (`[DONE]`, `done`), if the route has one. */
  complete?(sse: SseStream): Promise<void>;
  /** The event that tells the client the stream failed. */
  fail(error: unknown, sse: SseStream): Promise<void>;
}

export interface SseRelayOptions<T> {
  framing: SseFraming<T>;
  /** What the items so far add up to; read once, when the stream ended. */
  outputs: () => unknown;
  /** The request's client-disconnect signal: stop at once, without waiting for the source. */
  signal?: AbortSignal;
  /** `: keep-alive` comments after this much quiet on the wire. */
  keepAliveMs: number;
  /** The source may stay silent this long before it is aborted with `idleError`. */
  idleTimeoutMs: number;
  idleError: (timeoutMs: number) => Error;
}

/** Why the relay stopped waiting for the source. */
type Stop = { stop: 'idle' } | { stop: 'client' };
/** What waiting for the source's next item came to. */
type Next<T> = IteratorResult<T> | Stop | { thrown: unknown };

const IGNORE = () => undefined;

/**
 * The one relay of every streaming route: takes items from `source` one at a time, frames each
 * with `options.framing` (waiting while the client is slow), ends with the terminal or error
 * event, and settles the body's outcome once: completed, failed (with the error) or aborted (the
 * client went away), with what the items added up to. An idle source is aborted with
 * `options.idleError`; a client that goes away stops the relay without waiting for the source.
 */
export function relaySse<T>(source: RelayedStream<T>, options: SseRelayOptions<T>): SseBody {
  const sse = new SseStream(options.keepAliveMs);
  void new Relay(source, sse, options).run();
  return sse.readable;
}

class Relay<T> {
  private readonly iterator: AsyncIterator<T>;
  private readonly idleTimer: NodeJS.Timeout;
  private wake?: (stop: Stop) => void;
  private items = 0;
  /** The source ended or threw: nothing to tell it to stop. */
  private sourceDone = false;

  constructor(
    private readonly source: RelayedStream<T>,
    private readonly sse: SseStream,
    private readonly options: SseRelayOptions<T>,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
    this.idleTimer = setTimeout(() => this.wake?.({ stop: 'idle' }), options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  async run(): Promise<void> {
    const { signal, framing } = this.options;
    const onAbort = () => this.wake?.({ stop: 'client' });
    signal?.addEventListener('abort', onAbort, { once: true });
    // Fastify destroys the body when the socket closes, also for a caller without a signal.
    this.sse.readable.once('close', onAbort);
    let end: SseStreamEnd = 'completed';
    /** Set only when the stream failed. */
    let failure: unknown;
    try {
      while (true) {
        if (signal?.aborted || !this.sse.open) {
          end = 'aborted';
          break;
        }
        const next = await this.next();
        if ('thrown' in next) throw next.thrown;
        if ('stop' in next) {
          if (next.stop === 'client') {
            end = 'aborted';
            break;
          }
          const idle = this.options.idleError(this.options.idleTimeoutMs);
          this.source.abort?.(idle);
          throw idle;
        }
        if (next.done) break;
        this.items += 1;
        await framing.item(next.value, this.sse);
      }
      if (end === 'completed') await framing.complete?.(this.sse);
    } catch (error) {
      if (signal?.aborted || !this.sse.open) {
        end = 'aborted';
      } else {
        end = 'failed';
        failure = error;
        await framing.fail(error, this.sse).catch(IGNORE);
      }
    } finally {
      clearTimeout(this.idleTimer);
      signal?.removeEventListener('abort', onAbort);
      this.sse.readable.off('close', onAbort);
      // A source still producing is told to stop; its pending item is not waited for.
      if (!this.sourceDone) Promise.resolve(this.iterator.return?.()).catch(IGNORE);
      this.sse.end();
      this.sse.readable.settle({ end, error: failure, outputs: this.outputs(), items: this.items });
    }
  }

  /** The source's next item, or why the relay stopped waiting for it. */
  private next(): Promise<Next<T>> {
    this.idleTimer.refresh();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.iterator.next().then(
        (result) => {
          if (result.done) this.sourceDone = true;
          resolve(result);
        },
        (thrown: unknown) => {
          this.sourceDone = true;
          resolve({ thrown });
        },
      );
    });
  }

  private outputs(): unknown {
    try {
      return this.options.outputs();
    } catch {
      return undefined;
    }
  }
}
