import { APIConnectionError, APIUserAbortError, BadRequestError } from 'openai';
import { GatewayError } from '../common/errors/gateway.error';
import { memoryTracer, TEST_TRACING_CONFIG } from '../../test/support/memory-tracer';
import type { SpanRecord } from '../tracing/trace.model';
import { UPSTREAM_REQUEST_ID } from './llm-span.attributes';
import { UpstreamCallRunner } from './upstream-call.runner';

function setup() {
  const { tracer, finished } = memoryTracer();
  const runner = new UpstreamCallRunner(tracer);
  const root = tracer.startTrace('POST /v1/chat/completions')!;
  const span = tracer.run(root, () => tracer.startSpan('Completions', 'LLM'))!;
  /** Ends the root and returns the LLM span as the trace recorded it. */
  const llmSpan = async (): Promise<SpanRecord> => {
    root.end();
    await new Promise((resolve) => setTimeout(resolve, TEST_TRACING_CONFIG.spanGraceMs + 20));
    expect(finished).toHaveLength(1);
    return finished[0].spans.find((record) => record.name === 'Completions')!;
  };
  return { tracer, runner, span, llmSpan };
}

async function* chunks(values: string[], signal: AbortSignal): AsyncGenerator<string> {
  for (const value of values) {
    if (signal.aborted) throw signal.reason;
    yield value;
  }
}

describe(UpstreamCallRunner.name, () => {
  describe('unary', () => {
    it('sends inside the LLM span, records the answer and the request id, ends the span', async () => {
      const { tracer, runner, span, llmSpan } = setup();
      let current: unknown;
      const recorded: string[] = [];

      const result = await runner.unary({
        operation: 'chat',
        span,
        send: () => {
          current = tracer.currentSpan();
          return Promise.resolve({ data: 'answer', upstreamRequestId: 'req-1' });
        },
        record: (data) => recorded.push(data),
      });

      expect(result).toEqual({ data: 'answer', upstreamRequestId: 'req-1' });
      expect(current).toBe(span);
      expect(recorded).toEqual(['answer']);
      expect(span.isEnded).toBe(true);
      const record = await llmSpan();
      expect(record.attributes[UPSTREAM_REQUEST_ID]).toBe('req-1');
      expect(record.status.code).toBe('OK');
    });

    it('records an SDK failure on the span and throws it as a gateway error', async () => {
      const { runner, span, llmSpan } = setup();
      const failure = new APIConnectionError({ message: 'socket hang up' });

      const error = await runner
        .unary({ operation: 'chat', span, send: () => Promise.reject(failure), record: () => {} })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).status).toBe(502);
      expect(span.isEnded).toBe(true);
      const record = await llmSpan();
      expect(record.status.code).toBe('ERROR');
      expect(record.events.map((event) => event.name)).toEqual(['exception']);
    });

    it("passes the caller's own mistake through with BytePlus's status", async () => {
      const { runner, span } = setup();
      const failure = new BadRequestError(
        400,
        { message: 'bad temperature', param: 'temperature' },
        undefined,
        new Headers(),
      );

      const error = await runner
        .unary({ operation: 'chat', span, send: () => Promise.reject(failure), record: () => {} })
        .catch((caught: unknown) => caught);

      expect((error as GatewayError).status).toBe(400);
      expect((error as GatewayError).message).toContain('bad temperature');
    });

    it('marks a call the caller abandoned as client_disconnected, not as an exception', async () => {
      const { runner, span, llmSpan } = setup();

      await expect(
        runner.unary({
          operation: 'chat',
          span,
          send: () => Promise.reject(new APIUserAbortError()),
          record: () => {},
        }),
      ).rejects.toBeInstanceOf(APIUserAbortError);

      expect(span.isEnded).toBe(true);
      const record = await llmSpan();
      expect(record.events.map((event) => event.name)).toEqual(['client_disconnected']);
      expect(record.status.code).toBe('ERROR');
    });

    it('runs untraced when there is no span', async () => {
      const { runner } = setup();

      const result = await runner.unary({
        operation: 'chat',
        span: null,
        send: () => Promise.resolve({ data: 1, upstreamRequestId: null }),
        record: () => {},
      });

      expect(result.data).toBe(1);
    });
  });

  describe('stream', () => {
    it('leaves the span open for the stream, and its abort cancels the upstream request', async () => {
      const { runner, span } = setup();
      let sent: AbortSignal | undefined;
      let abort: ((reason: Error) => void) | undefined;

      const result = await runner.stream({
        operation: 'chat_stream',
        span,
        send: (signal) => {
          sent = signal;
          return Promise.resolve({ data: chunks(['a', 'b'], signal), upstreamRequestId: 'req-2' });
        },
        trace: (data, cancel) => {
          abort = cancel;
          return data;
        },
      });

      expect(result.upstreamRequestId).toBe('req-2');
      expect(span.isEnded).toBe(false);
      expect(span.getAttribute(UPSTREAM_REQUEST_ID)).toBe('req-2');
      const reason = new Error('idle');
      abort!(reason);
      expect(sent!.aborted).toBe(true);
      await expect(result.data[Symbol.asyncIterator]().next()).rejects.toBe(reason);
    });

    it("combines the caller's signal with its own", async () => {
      const { runner, span } = setup();
      const caller = new AbortController();
      let sent: AbortSignal | undefined;

      await runner.stream({
        operation: 'chat_stream',
        span,
        signal: caller.signal,
        send: (signal) => {
          sent = signal;
          return Promise.resolve({ data: chunks([], signal), upstreamRequestId: null });
        },
        trace: (data) => data,
      });
      caller.abort();

      expect(sent!.aborted).toBe(true);
    });

    it('ends the span and throws a gateway error when the stream never started', async () => {
      const { runner, span, llmSpan } = setup();

      const error = await runner
        .stream({
          operation: 'chat_stream',
          span,
          send: () => Promise.reject(new APIConnectionError({ message: 'refused' })),
          trace: (data) => data,
        })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(GatewayError);
      expect(span.isEnded).toBe(true);
      expect((await llmSpan()).events.map((event) => event.name)).toEqual(['exception']);
    });
  });
});
