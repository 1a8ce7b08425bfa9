import OpenAI from 'openai';
import { ReplyWriter } from './reply.writer';
import { ModelArkSimulator } from './simulator.server';
import { SseEventsReader } from './sse-events.reader';

const MODEL = 'seed-1-6-250615';
const messages = [{ role: 'user' as const, content: 'hi' }];
const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe(ReplyWriter.name, () => {
  let sim: ModelArkSimulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await ModelArkSimulator.start();
    client = new OpenAI({ apiKey: 'test-key', baseURL: sim.url, maxRetries: 0 });
  });

  afterAll(() => sim.close());

  beforeEach(() => sim.reset());

  const control = (value: Record<string, unknown>) => ({
    headers: { 'x-simulator': JSON.stringify(value) },
  });

  it('writes SSE data lines, text/event-stream and a final [DONE]', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages, stream: true }),
    });
    const text = await response.text();

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(SseEventsReader.parse(text).every((event) => event.event === undefined)).toBe(true);
  });

  it('cuts a stream midway without [DONE] so the SDK stream throws', async () => {
    const stream = await client.chat.completions.create(
      { model: MODEL, messages, stream: true },
      control({ scenario: 'cut-stream', tokens: 20 }),
    );
    const received: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    };

    await expect(consume()).rejects.toThrow();
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(20);
    const request = await sim.waitFor((entry) => entry.status === 200);
    expect(request).toMatchObject({ aborted: false, completed: false });
  });

  it('drops the connection of a non-streaming cut-stream request', async () => {
    const request = client.chat.completions.create(
      { model: MODEL, messages },
      control({ scenario: 'cut-stream' }),
    );

    await expect(request).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('sends an invalid data line in a malformed-stream so the SDK stream throws', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'x-simulator': JSON.stringify({ scenario: 'malformed-stream' }) },
      body: JSON.stringify({ model: MODEL, messages, stream: true }),
    });
    const lines = (await response.text()).split('\n\n').filter(Boolean);
    const quiet = new OpenAI({ apiKey: 'k', baseURL: sim.url, maxRetries: 0, logLevel: 'off' });
    const stream = await quiet.chat.completions.create(
      { model: MODEL, messages, stream: true },
      control({ scenario: 'malformed-stream' }),
    );
    const consume = async () => {
      for await (const _chunk of stream) {
        // reading is the point
      }
    };

    expect(lines.filter((line) => !isJson(line.slice('data: '.length)))).toEqual([
      expect.stringContaining('"content":'),
      'data: [DONE]',
    ]);
    await expect(consume()).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  it('answers a malformed-stream non-streaming request with truncated JSON', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { 'x-simulator': JSON.stringify({ scenario: 'malformed-stream' }) },
      body: JSON.stringify({ model: MODEL, messages }),
    });

    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toMatchObject({ name: 'SyntaxError' });
  });
});
