import OpenAI from 'openai';
import { DEFAULT_EMBEDDING_DIMENSIONS } from './embedding.vectors';
import { EmbeddingsHandler } from './embeddings.handler';
import { ModelArkSimulator } from './simulator.server';

const MODEL = 'seed-embedding-text-250615';

describe(EmbeddingsHandler.name, () => {
  let sut: ModelArkSimulator;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await ModelArkSimulator.start();
    client = new OpenAI({ apiKey: 'test-key', baseURL: sut.url, maxRetries: 0 });
  });

  afterAll(() => sut.close());

  const embed = (input: string | string[], extra: Partial<OpenAI.EmbeddingCreateParams> = {}) =>
    client.embeddings.create({ model: MODEL, input, encoding_format: 'float', ...extra });

  it('answers one unit vector per input, in order, with usage', async () => {
    const result = await embed(['hello world', 'good bye now']);

    expect(result).toMatchObject({ object: 'list', model: MODEL });
    expect(result.data.map((item) => [item.object, item.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expect(result.data[0].embedding).toHaveLength(DEFAULT_EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...result.data[0].embedding)).toBeCloseTo(1, 5);
    expect(result.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
  });

  it('is deterministic per input and differs between inputs', async () => {
    const first = await embed('same text');
    const again = await embed('same text');
    const other = await embed('other text');

    expect(again.data[0].embedding).toEqual(first.data[0].embedding);
    expect(other.data[0].embedding).not.toEqual(first.data[0].embedding);
  });

  it('honours dimensions', async () => {
    const result = await embed('hi', { dimensions: 16 });

    expect(result.data[0].embedding).toHaveLength(16);
  });

  it('encodes base64 as little-endian float32 carrying the same numbers', async () => {
    const floats = await embed('hi', { dimensions: 8 });
    const response = await fetch(`${sut.url}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'hi', dimensions: 8, encoding_format: 'base64' }),
    });
    const body = (await response.json()) as { data: { embedding: string }[] };
    const bytes = Buffer.from(body.data[0].embedding, 'base64');
    const decoded = Array.from({ length: 8 }, (_, index) => bytes.readFloatLE(index * 4));

    expect(typeof body.data[0].embedding).toBe('string');
    expect(decoded).toEqual(floats.data[0].embedding);
  });

  it('gives the SDK default (base64 on the wire) the same vector as float', async () => {
    const floats = await embed('hi', { dimensions: 32 });
    const byDefault = await client.embeddings.create({ model: MODEL, input: 'hi', dimensions: 32 });

    expect(Array.from(byDefault.data[0].embedding)).toEqual(floats.data[0].embedding);
  });

  it('accepts token arrays', async () => {
    const response = await fetch(`${sut.url}/embeddings`, {
      method: 'POST',
      body: JSON.stringify({ model: MODEL, input: [[1, 2, 3]], dimensions: 4 }),
    });
    const body = (await response.json()) as { usage: { prompt_tokens: number } };

    expect(response.status).toBe(200);
    expect(body.usage.prompt_tokens).toBe(3);
  });

  it.each([
    ['a missing input', { model: MODEL }, 'input'],
    ['an empty input array', { model: MODEL, input: [] }, 'input'],
    ['a non-string item', { model: MODEL, input: ['ok', { text: 1 }] }, 'input.1'],
    [
      'an unknown encoding',
      { model: MODEL, input: 'x', encoding_format: 'hex' },
      'encoding_format',
    ],
    ['too many dimensions', { model: MODEL, input: 'x', dimensions: 100_000 }, 'dimensions'],
  ])('answers 400 for %s', async (_case, body, param) => {
    const response = await fetch(`${sut.url}/embeddings`, {
      method: 'POST',
      body: JSON.stringify(body),
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
  });
});
