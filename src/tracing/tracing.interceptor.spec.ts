import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import { lastValueFrom, of, throwError } from 'rxjs';
import { SseBody } from '../common/sse/sse-body';
import { memoryTracer } from '../../test/support/memory-tracer';
import { withTraceOutputs } from './trace-outputs';
import type { SpanRecord } from './trace.model';
import { TracingInterceptor } from './tracing.interceptor';

function setup() {
  const { tracer, finished } = memoryTracer();
  const interceptor = new TracingInterceptor(tracer, new Reflector());
  const headers: Record<string, string> = {};
  const request = {
    method: 'POST',
    url: '/v1/chat/completions',
    routeOptions: { url: '/v1/chat/completions' },
    headers: {},
    body: { messages: [{ role: 'user', content: 'hi' }] },
    query: {},
  };
  const reply = Object.assign(new EventEmitter(), {
    header: (name: string, value: string) => (headers[name] = value),
  });
  const context = {
    getType: () => 'http',
    getHandler: () => setup,
    getClass: () => TracingInterceptor,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  const handle = (handler: CallHandler['handle']) =>
    lastValueFrom(interceptor.intercept(context, { handle: () => handler() }));
  const root = (): SpanRecord => {
    expect(finished).toHaveLength(1);
    return finished[0].spans.find((span) => span.name === 'POST /v1/chat/completions')!;
  };
  return { tracer, finished, handle, root, headers };
}

const names = (span: SpanRecord) => span.events.map((event) => event.name);

describe(TracingInterceptor.name, () => {
  it('ends the root once with the answer as its outputs', async () => {
    const { handle, root, headers } = setup();

    await handle(() => of({ id: 'chatcmpl-1' }));

    expect(root().attributes['mlflow.spanOutputs']).toEqual({ id: 'chatcmpl-1' });
    expect(root().status).toEqual({ code: 'OK' });
    expect(headers['x-mlflow-trace-id']).toMatch(/^tr-/);
  });

  it('records the outputs a route marked instead of its answer', async () => {
    const { handle, root } = setup();

    await handle(() => of(withTraceOutputs({ data: [[0.1, 0.2]] }, { vectors: 1 })));

    expect(root().attributes['mlflow.spanOutputs']).toEqual({ vectors: 1 });
  });

  it('ends the root once with the exception when the handler fails', async () => {
    const { handle, root } = setup();

    await expect(handle(() => throwError(() => new Error('boom')))).rejects.toThrow('boom');

    expect(root().status).toEqual({ code: 'ERROR', message: 'Error: boom' });
    expect(names(root())).toEqual(['exception']);
  });

  it('keeps a stream root open until the stream ends, then records its outputs', async () => {
    const { handle, finished, root } = setup();
    const body = new SseBody();

    expect(await handle(() => of(body))).toBe(body);
    expect(finished).toHaveLength(0);
    body.settle({ end: 'completed', outputs: { content: 'Hello' }, items: 3 });
    await body.outcome;
    await new Promise((resolve) => setImmediate(resolve));

    expect(root().attributes['mlflow.spanOutputs']).toEqual({ content: 'Hello' });
    expect(root().status).toEqual({ code: 'OK' });
  });

  it('records a failed stream as the exception, with what had arrived', async () => {
    const { handle, root } = setup();
    const body = new SseBody();
    await handle(() => of(body));

    body.settle({ end: 'failed', error: new Error('idle'), outputs: { content: 'Hel' }, items: 1 });
    await new Promise((resolve) => setImmediate(resolve));

    expect(root().status.code).toBe('ERROR');
    expect(names(root())).toEqual(['exception']);
    expect(root().attributes['mlflow.spanOutputs']).toEqual({ content: 'Hel' });
  });

  it('keeps the partial output and the stream_aborted mark when the client went away', async () => {
    const { handle, root } = setup();
    const body = new SseBody();
    await handle(() => of(body));

    body.settle({ end: 'aborted', outputs: { content: 'He' }, items: 2 });
    body.settle({ end: 'completed', outputs: { content: 'Hello' }, items: 3 });
    await new Promise((resolve) => setImmediate(resolve));

    const span = root();
    expect(span.status).toEqual({
      code: 'ERROR',
      message: 'Client disconnected before the stream completed',
    });
    expect(names(span)).toEqual(['client_disconnected', 'stream_aborted']);
    expect(span.events[1].attributes).toEqual({ 'arkgate.items_received': 2 });
    expect(span.attributes['mlflow.spanOutputs']).toEqual({ content: 'He' });
  });

  it('makes the root the current span while the handler runs', async () => {
    const { handle, tracer, root } = setup();
    let current: string | undefined;

    await handle(() => {
      current = tracer.currentTraceId();
      return of({});
    });

    expect(current).toBe(root().attributes['mlflow.traceRequestId']);
  });
});
