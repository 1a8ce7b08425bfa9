import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { SimulatorRequest } from './simulator-request.model';
import { SimulatorExchange } from './simulator.exchange';
import { ModelArkSimulator } from './simulator.server';

const MODEL = 'seed-1-6-250615';
const messages = [{ role: 'user' as const, content: 'hi' }];

describe(SimulatorExchange.name, () => {
  describe('with a fake response', () => {
    class FakeResponse extends EventEmitter {
      writableFinished = false;
      headersSent = false;
      full = false;
      written: string[] = [];
      write = jest.fn((chunk: string) => {
        this.written.push(chunk);
        return !this.full;
      });
      end = jest.fn();
      writeHead = jest.fn();
      socket = { end: jest.fn() };
    }
    let res: FakeResponse;
    let record: SimulatorRequest;
    let exchange: SimulatorExchange;

    beforeEach(() => {
      jest.useFakeTimers();
      res = new FakeResponse();
      record = {
        id: '1',
        method: 'POST',
        path: '/',
        headers: {},
        body: undefined,
        aborted: false,
        completed: false,
      };
      exchange = new SimulatorExchange(
        {} as IncomingMessage,
        res as unknown as ServerResponse,
        record,
        () => undefined,
      );
    });

    afterEach(() => jest.useRealTimers());

    it('ends a pause early when the client leaves, marks the request aborted and leaves no timer', async () => {
      const paused = exchange.pause(60_000);
      expect(jest.getTimerCount()).toBe(1);

      res.emit('close');

      await expect(paused).resolves.toBe(false);
      expect(jest.getTimerCount()).toBe(0);
      expect(record).toMatchObject({ aborted: true, completed: false });
    });

    it('stops waiting for drain when the client leaves, and writes nothing afterwards', async () => {
      res.full = true;
      const writing = exchange.write('a');
      expect(res.listenerCount('drain')).toBe(1);

      res.emit('close');

      await expect(writing).resolves.toBe(false);
      expect(res.listenerCount('drain')).toBe(0);
      await expect(exchange.write('b')).resolves.toBe(false);
      exchange.end('c');
      expect(res.written).toEqual(['a']);
      expect(res.end).not.toHaveBeenCalled();
    });

    it('marks a finished response completed, not aborted', () => {
      res.writableFinished = true;
      res.emit('finish');
      res.emit('close');

      expect(record).toMatchObject({ aborted: false, completed: true });
    });

    it('marks a response it cuts itself neither aborted nor completed', () => {
      exchange.cut();
      res.emit('close');

      expect(res.socket.end).toHaveBeenCalled();
      expect(record).toMatchObject({ aborted: false, completed: false });
    });
  });

  describe('over HTTP', () => {
    let sut: ModelArkSimulator;
    let client: OpenAI;

    beforeAll(async () => {
      sut = await ModelArkSimulator.start();
      client = new OpenAI({ apiKey: 'test-key', baseURL: sut.url, maxRetries: 0 });
    });

    afterAll(() => sut.close());

    beforeEach(() => sut.reset());

    const control = (value: Record<string, unknown>) => ({
      headers: { 'x-simulator': JSON.stringify(value) },
    });

    it('marks a finished request completed and not aborted', async () => {
      await client.chat.completions.create({ model: MODEL, messages });

      const request = await sut.waitFor((entry) => entry.completed);
      expect(request).toMatchObject({ aborted: false, completed: true, status: 200 });
    });

    it('marks a stream aborted when the client breaks out of it', async () => {
      const stream = await client.chat.completions.create(
        { model: MODEL, messages, stream: true },
        control({ tokens: 500, token_delay_ms: 50 }),
      );
      let received = 0;
      for await (const _chunk of stream) {
        received += 1;
        if (received === 2) break;
      }

      const request = await sut.waitForAbort(0);
      expect(request).toMatchObject({ aborted: true, completed: false, status: 200 });
    });

    it('marks a stream aborted when its AbortController fires', async () => {
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        { model: MODEL, messages, stream: true },
        { ...control({ tokens: 500, token_delay_ms: 50 }), signal: controller.signal },
      );
      const iterate = (async () => {
        for await (const _chunk of stream) controller.abort();
      })();

      await iterate;
      expect((await sut.waitForAbort(0)).aborted).toBe(true);
    });

    it('marks a hanging request aborted when the client gives up', async () => {
      const controller = new AbortController();
      const request = client.chat.completions.create(
        { model: MODEL, messages },
        { ...control({ scenario: 'hang' }), signal: controller.signal },
      );
      await sut.waitFor((entry) => entry.body !== undefined);

      controller.abort();

      await expect(request).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
      const aborted = await sut.waitForAbort(0);
      expect(aborted.aborted).toBe(true);
      expect(aborted.status).toBeUndefined();
    });

    it('marks a request aborted while it waits out its latency', async () => {
      const controller = new AbortController();
      const request = client.chat.completions.create(
        { model: MODEL, messages },
        { ...control({ latency_ms: 60_000 }), signal: controller.signal },
      );
      await sut.waitFor((entry) => entry.body !== undefined);

      controller.abort();

      await expect(request).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
      expect((await sut.waitForAbort(0)).completed).toBe(false);
    });
  });
});
