import { GatewayErrorCode } from '../errors/gateway-error-code.enum';
import { GatewayError } from '../errors/gateway.error';
import type { SseBody, SseOutcome } from './sse-body';
import { relaySse, type RelayedStream, type SseFraming } from './sse.relay';

const idleError = (ms: number) =>
  new GatewayError(`quiet for ${ms} ms`, {
    status: 504,
    code: GatewayErrorCode.UpstreamTimeout,
    type: 'timeout_error',
  });

/** Frames numbers as `data: n`, ends with `[DONE]`, reports failures as `data: {"error":...}`. */
const FRAMING: SseFraming<number> = {
  item: (value, sse) => sse.data({ value }),
  complete: (sse) => sse.data('[DONE]'),
  fail: (error, sse) => sse.data({ error: String(error) }),
};

/** A source that yields `values` and sums them: its aggregate, as the traced streams keep one. */
function summing(values: number[], then?: 'hang' | Error): RelayedStream<number> & { sum: number } {
  const source = {
    sum: 0,
    abort: jest.fn(),
    async *[Symbol.asyncIterator]() {
      for (const value of values) {
        source.sum += value;
        yield value;
      }
      if (then === 'hang') await new Promise(() => undefined);
      if (then instanceof Error) throw then;
    },
  };
  return source;
}

function relay(
  source: RelayedStream<number> & { sum: number },
  options: { signal?: AbortSignal; idleTimeoutMs?: number; framing?: SseFraming<number> } = {},
): SseBody {
  return relaySse(source, {
    framing: options.framing ?? FRAMING,
    outputs: () => ({ sum: source.sum }),
    signal: options.signal,
    keepAliveMs: 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    idleError,
  });
}

/** The body's text once it ended, and its outcome. */
async function drain(body: SseBody): Promise<{ text: string; outcome: SseOutcome }> {
  let text = '';
  body.setEncoding('utf8');
  body.on('data', (chunk: string) => (text += chunk));
  const outcome = await body.outcome;
  await new Promise((resolve) => (body.readableEnded ? resolve(null) : body.once('end', resolve)));
  return { text, outcome };
}

describe(relaySse.name, () => {
  it('relays every item in order, then the terminal event, and settles completed', async () => {
    const { text, outcome } = await drain(relay(summing([1, 2, 3])));

    expect(text).toBe(
      ': stream open\n\n' +
        'data: {"value":1}\n\ndata: {"value":2}\n\ndata: {"value":3}\n\ndata: [DONE]\n\n',
    );
    expect(outcome).toEqual({ end: 'completed', error: undefined, outputs: { sum: 6 }, items: 3 });
  });

  it('lets the framing skip items the client does not see; the aggregate still has them', async () => {
    const framing: SseFraming<number> = {
      ...FRAMING,
      item: (value, sse) => (value % 2 === 0 ? sse.data({ value }) : undefined),
    };

    const { text, outcome } = await drain(relay(summing([1, 2, 3]), { framing }));

    expect(text).toBe(': stream open\n\ndata: {"value":2}\n\ndata: [DONE]\n\n');
    expect(outcome).toMatchObject({ end: 'completed', outputs: { sum: 6 }, items: 3 });
  });

  it('ends a failing source with the error event and settles failed with the partial aggregate', async () => {
    const failure = new Error('upstream broke');

    const { text, outcome } = await drain(relay(summing([4, 5], failure)));

    expect(text).toBe(
      ': stream open\n\ndata: {"value":4}\n\ndata: {"value":5}\n\n' +
        'data: {"error":"Error: upstream broke"}\n\n',
    );
    expect(outcome).toEqual({ end: 'failed', error: failure, outputs: { sum: 9 }, items: 2 });
  });

  it('stops at once when the client goes away mid-stream, without waiting for the source', async () => {
    const client = new AbortController();
    const source = summing([7], 'hang');
    const body = relay(source, { signal: client.signal });
    const reading = drain(body);
    await new Promise((resolve) => setTimeout(resolve, 20));

    client.abort(new Error('client disconnected'));
    const { text, outcome } = await reading;

    expect(text).toBe(': stream open\n\ndata: {"value":7}\n\n');
    expect(outcome).toEqual({ end: 'aborted', error: undefined, outputs: { sum: 7 }, items: 1 });
    // The source's own request is cancelled by the same signal; the relay does not abort it.
    expect((source as unknown as { abort: jest.Mock }).abort).not.toHaveBeenCalled();
  });

  it('settles aborted when Fastify destroys the body (the socket closed)', async () => {
    const body = relay(summing([1], 'hang'));
    await new Promise((resolve) => setTimeout(resolve, 20));

    body.destroy();

    await expect(body.outcome).resolves.toMatchObject({ end: 'aborted', outputs: { sum: 1 } });
  });

  it('aborts a source that went quiet with the idle error and reports it to the client', async () => {
    const source = summing([1, 2], 'hang');

    const { text, outcome } = await drain(relay(source, { idleTimeoutMs: 30 }));

    const abort = (source as unknown as { abort: jest.Mock }).abort;
    expect(abort).toHaveBeenCalledTimes(1);
    expect(abort.mock.calls[0][0]).toMatchObject({ code: 'upstream_timeout' });
    expect(text).toContain('data: {"error":"GatewayError: quiet for 30 ms"}');
    expect(outcome).toMatchObject({ end: 'failed', outputs: { sum: 3 }, items: 2 });
    expect((outcome.error as GatewayError).status).toBe(504);
  });

  it('does not count a slow client as an idle source', async () => {
    let release!: () => void;
    const slowClient = new Promise<void>((resolve) => (release = resolve));
    const framing: SseFraming<number> = {
      ...FRAMING,
      item: async (value, sse) => {
        if (value === 1) await slowClient;
        await sse.data({ value });
      },
    };
    const body = relay(summing([1, 2]), { idleTimeoutMs: 30, framing });
    setTimeout(release, 80);

    const { outcome } = await drain(body);

    expect(outcome).toMatchObject({ end: 'completed', items: 2 });
  });

  it('tells a source it stopped reading to stop (return), once the client is gone', async () => {
    let returned = false;
    const source = {
      sum: 0,
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: false as const, value: 1 }),
        return: () => {
          returned = true;
          return Promise.resolve({ done: true as const, value: undefined });
        },
      }),
    };
    const client = new AbortController();
    const framing: SseFraming<number> = {
      ...FRAMING,
      item: () => client.abort(),
    };

    const outcome = await relay(source, { signal: client.signal, framing }).outcome;

    expect(outcome).toMatchObject({ end: 'aborted', items: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(returned).toBe(true);
  });
});
