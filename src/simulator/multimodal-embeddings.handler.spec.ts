import { MultimodalEmbeddingsHandler } from './multimodal-embeddings.handler';
import { ModelArkSimulator } from './simulator.server';

const MODEL = 'skylark-embedding-vision-250615';

interface MultimodalBody {
  id: string;
  data: { object: string; embedding: number[] | string };
  error: { param: string };
}

describe(MultimodalEmbeddingsHandler.name, () => {
  let sut: ModelArkSimulator;

  beforeAll(async () => {
    sut = await ModelArkSimulator.start();
  });

  afterAll(() => sut.close());

  const post = async (body: unknown) => {
    const response = await fetch(`${sut.url}/embeddings/multimodal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as MultimodalBody };
  };

  const input = [
    { type: 'text', text: 'a red bicycle' },
    { type: 'image_url', image_url: { url: 'https://example.com/bike.png' } },
  ];

  it('answers one embedding for the whole input, with text and image token counts', async () => {
    const { status, body } = await post({ model: MODEL, input, dimensions: 64 });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      object: 'list',
      model: MODEL,
      data: { object: 'embedding' },
      usage: {
        prompt_tokens: 3 + 256,
        total_tokens: 3 + 256,
        prompt_tokens_details: { text_tokens: 3, image_tokens: 256 },
      },
    });
    expect(body.id).toMatch(/^021/);
    expect(body.data.embedding).toHaveLength(64);
  });

  it('is deterministic and depends on every part', async () => {
    const first = await post({ model: MODEL, input, dimensions: 8 });
    const again = await post({ model: MODEL, input, dimensions: 8 });
    const textOnly = await post({ model: MODEL, input: [input[0]], dimensions: 8 });

    expect(again.body.data.embedding).toEqual(first.body.data.embedding);
    expect(textOnly.body.data.embedding).not.toEqual(first.body.data.embedding);
  });

  it('honours base64 encoding', async () => {
    const { body } = await post({ model: MODEL, input, dimensions: 4, encoding_format: 'base64' });

    expect(Buffer.from(body.data.embedding as string, 'base64')).toHaveLength(16);
  });

  it.each([
    ['a missing input', { model: MODEL }, 'input'],
    ['a string input', { model: MODEL, input: 'text' }, 'input'],
    [
      'an image without url',
      { model: MODEL, input: [{ type: 'image_url', image_url: {} }] },
      'input.0',
    ],
    ['an unknown part', { model: MODEL, input: [{ type: 'audio' }] }, 'input.0'],
  ])('answers 400 for %s', async (_case, body, param) => {
    const response = await post(body);

    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe(param);
  });
});
