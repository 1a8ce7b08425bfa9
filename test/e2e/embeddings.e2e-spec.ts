import OpenAI from 'openai';
import { ArkgateHarness, HARNESS_ARK_API_KEY, startArkgate } from '../support/arkgate.harness';
import { getJson, Json, postJson } from './json.client';

const TEXT_MODEL = 'seed-embedding-text-250615';
const VISION_MODEL = 'skylark-embedding-vision-250615';
const UPSTREAM = {
  'content-type': 'application/json',
  authorization: `Bearer ${HARNESS_ARK_API_KEY}`,
};

const TEXT_PART = { type: 'text', text: 'a red bicycle' };
const IMAGE_PART = { type: 'image_url', image_url: { url: 'https://example.com/bike.png' } };

/** float32 little-endian, as OpenAI encodes `encoding_format: 'base64'`. */
function decodeBase64(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
}

describe('POST /v1/embeddings (OpenAI shape, ModelArk text and multimodal embeddings)', () => {
  let sut: ArkgateHarness;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await startArkgate();
    client = new OpenAI({ apiKey: 'unused', baseURL: `${sut.url}/v1`, maxRetries: 0 });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  const embeddingsUrl = () => `${sut.url}/v1/embeddings`;

  /** What the simulator answers at `path` for `body`: the reference for what arkgate returns. */
  async function simulatorAnswer(path: string, body: object): Promise<Json> {
    const answer = await postJson(`${sut.simulator.url}${path}`, body, UPSTREAM);
    expect(answer.status).toBe(200);
    sut.simulator.reset();
    return answer.body;
  }

  describe('text models (ModelArk /embeddings)', () => {
    it('answers the list ModelArk sent, the request forwarded as it is', async () => {
      const request = {
        model: TEXT_MODEL,
        input: ['hello world', 'good bye now'],
        encoding_format: 'float',
        dimensions: 8,
        user: 'user-42',
      };
      const reference = await simulatorAnswer('/embeddings', request);

      const { status, body } = await postJson(embeddingsUrl(), request);

      expect(status).toBe(200);
      expect(body).toEqual({
        ...reference,
        id: sut.simulator.requests[0].id,
        created: expect.any(Number),
      });
      expect(body.data.map((item: Json) => item.index)).toEqual([0, 1]);
      expect(sut.simulator.requests).toEqual([
        expect.objectContaining({ path: '/api/v3/embeddings', body: request, completed: true }),
      ]);
    });

    it('passes token arrays through, and base64 back', async () => {
      const request = { model: TEXT_MODEL, input: [[1, 2, 3]], dimensions: 4 };
      const floats = await simulatorAnswer('/embeddings', request);

      const { status, body } = await postJson(embeddingsUrl(), {
        ...request,
        encoding_format: 'base64',
      });

      expect(status).toBe(200);
      expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
      expect(typeof body.data[0].embedding).toBe('string');
      expect(decodeBase64(body.data[0].embedding)).toEqual(floats.data[0].embedding);
    });
  });

  describe('with the official openai client', () => {
    it('decodes its default (base64 on the wire) to the float vectors', async () => {
      const floats = await client.embeddings.create({
        model: TEXT_MODEL,
        input: ['hello', 'world'],
        encoding_format: 'float',
        dimensions: 16,
      });
      const byDefault = await client.embeddings.create({
        model: TEXT_MODEL,
        input: ['hello', 'world'],
        dimensions: 16,
      });

      expect(byDefault.data.map((item) => Array.from(item.embedding))).toEqual(
        floats.data.map((item) => item.embedding),
      );
      expect(byDefault.usage).toEqual(floats.usage);
      expect(sut.simulator.requests[1].body).toMatchObject({ encoding_format: 'base64' });
    });

    it("returns base64 strings with encoding_format: 'base64'", async () => {
      const floats = await client.embeddings.create({
        model: TEXT_MODEL,
        input: 'hello',
        encoding_format: 'float',
        dimensions: 8,
      });
      const encoded = await client.embeddings.create({
        model: TEXT_MODEL,
        input: 'hello',
        encoding_format: 'base64',
        dimensions: 8,
      });

      expect(typeof encoded.data[0].embedding).toBe('string');
      expect(decodeBase64(encoded.data[0].embedding)).toEqual(floats.data[0].embedding);
    });

    it('embeds content parts with a multimodal model', async () => {
      const result = await client.embeddings.create({
        model: VISION_MODEL,
        input: [[TEXT_PART, IMAGE_PART]] as unknown as string[],
        encoding_format: 'float',
        dimensions: 8,
      });

      expect(result.data).toEqual([
        { object: 'embedding', index: 0, embedding: expect.any(Array) },
      ]);
      expect(result.data[0].embedding).toHaveLength(8);
    });
  });

  describe('multimodal models (ModelArk /embeddings/multimodal, one call per item)', () => {
    it("embeds each item with its own call and assembles OpenAI's list in input order", async () => {
      const fields = { model: VISION_MODEL, dimensions: 8, encoding_format: 'float' };
      const first = await simulatorAnswer('/embeddings/multimodal', {
        ...fields,
        input: [IMAGE_PART],
      });
      const second = await simulatorAnswer('/embeddings/multimodal', {
        ...fields,
        input: [TEXT_PART, IMAGE_PART],
      });

      const { status, body } = await postJson(embeddingsUrl(), {
        ...fields,
        input: [IMAGE_PART, [TEXT_PART, IMAGE_PART]],
      });

      expect(status).toBe(200);
      expect(body).toEqual({
        object: 'list',
        model: VISION_MODEL,
        data: [
          { object: 'embedding', index: 0, embedding: first.data.embedding },
          { object: 'embedding', index: 1, embedding: second.data.embedding },
        ],
        usage: {
          prompt_tokens: first.usage.prompt_tokens + second.usage.prompt_tokens,
          total_tokens: first.usage.total_tokens + second.usage.total_tokens,
          prompt_tokens_details: { text_tokens: 3, image_tokens: 512 },
        },
      });
      const upstream = sut.simulator.requests;
      expect(upstream.map((request) => request.path)).toEqual([
        '/api/v3/embeddings/multimodal',
        '/api/v3/embeddings/multimodal',
      ]);
      expect(upstream.map((request) => request.body)).toEqual(
        expect.arrayContaining([
          { ...fields, input: [IMAGE_PART] },
          { ...fields, input: [TEXT_PART, IMAGE_PART] },
        ]),
      );
    });

    it('sends plain texts for a multimodal model as text parts', async () => {
      const { status, body } = await postJson(embeddingsUrl(), {
        model: VISION_MODEL,
        input: 'a red bicycle',
        encoding_format: 'base64',
      });

      expect(status).toBe(200);
      expect(typeof body.data[0].embedding).toBe('string');
      expect(sut.simulator.requests.map((request) => request.body)).toEqual([
        { model: VISION_MODEL, encoding_format: 'base64', input: [TEXT_PART] },
      ]);
    });

    it('sends content parts to multimodal even for an endpoint id', async () => {
      const { status } = await postJson(embeddingsUrl(), {
        model: 'ep-20250101123456-abcde',
        input: [IMAGE_PART],
      });

      expect(status).toBe(200);
      expect(sut.simulator.requests[0].path).toBe('/api/v3/embeddings/multimodal');
    });

    it('answers 400 for a token array sent to a multimodal model', async () => {
      const { status, body } = await postJson(embeddingsUrl(), {
        model: VISION_MODEL,
        input: ['fine', [1, 2, 3]],
      });

      expect(status).toBe(400);
      expect(body.error).toEqual({
        message:
          'input.1 must be text or content parts: token arrays only go to text embedding models',
        type: 'invalid_request_error',
        param: 'input.1',
        code: 'invalid_request',
      });
      expect(sut.simulator.requests).toEqual([]);
    });

    it('answers 400 for more items than one request may fan out to', async () => {
      const { status, body } = await postJson(embeddingsUrl(), {
        model: VISION_MODEL,
        input: Array.from({ length: 65 }, () => IMAGE_PART),
      });

      expect(status).toBe(400);
      expect(body.error.param).toBe('input');
      expect(sut.simulator.requests).toEqual([]);
    });
  });

  describe('errors', () => {
    it.each([
      ['no input', { model: TEXT_MODEL }, 'input'],
      ['an empty string', { model: TEXT_MODEL, input: '' }, 'input'],
      ['an empty array', { model: TEXT_MODEL, input: [] }, 'input'],
      ['an object without type', { model: TEXT_MODEL, input: [{ text: 'x' }] }, 'input'],
      ['no model', { input: 'hello' }, 'model'],
      [
        'an unknown encoding',
        { model: TEXT_MODEL, input: 'x', encoding_format: 'hex' },
        'encoding_format',
      ],
      ['zero dimensions', { model: TEXT_MODEL, input: 'x', dimensions: 0 }, 'dimensions'],
    ])('answers 400 in the OpenAI envelope for %s', async (_case, request, param) => {
      const { status, body } = await postJson(embeddingsUrl(), request);

      expect(status).toBe(400);
      expect(body.error).toMatchObject({
        type: 'invalid_request_error',
        param,
        code: 'invalid_request',
      });
      expect(sut.simulator.requests).toEqual([]);
    });

    it('names what input may be', async () => {
      const { body } = await postJson(embeddingsUrl(), { model: TEXT_MODEL, input: 42 });

      expect(body.error.message).toBe(
        'input must be a non-empty string, or a non-empty array of strings, token arrays or content parts',
      );
    });

    it.each([
      ['text', TEXT_MODEL, 'hello'],
      ['multimodal', VISION_MODEL, [IMAGE_PART, TEXT_PART]],
    ])('maps a ModelArk 429 (%s) to 429 with retry-after', async (_case, model, input) => {
      const { status, headers, body } = await postJson(embeddingsUrl(), {
        model,
        input,
        simulator: { scenario: 'error-429', retry_after: 3 },
      });

      expect(status).toBe(429);
      expect(headers.get('retry-after')).toBe('3');
      expect(body.error).toMatchObject({
        type: 'rate_limit_error',
        code: 'RateLimitExceeded.EndpointRPMExceeded',
      });
    });

    it('passes a ModelArk 400 through with its message and param', async () => {
      const { status, body } = await postJson(embeddingsUrl(), {
        model: TEXT_MODEL,
        input: 'x',
        dimensions: 100_000,
      });

      expect(status).toBe(400);
      expect(body.error).toMatchObject({ param: 'dimensions', type: 'invalid_request_error' });
    });
  });

  it('is documented with request examples and OpenAI error responses', async () => {
    const { body: document } = await getJson(`${sut.url}/docs-json`);
    const operation = document.paths['/v1/embeddings'].post;

    expect(Object.keys(operation.requestBody.content['application/json'].examples)).toEqual([
      'text',
      'multimodal',
    ]);
    expect(operation.responses['200'].content['application/json'].example).toMatchObject({
      object: 'list',
    });
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['400', '429', '502', '503', '504']),
    );
  });

  describe('without ARK_API_KEY', () => {
    let unconfigured: ArkgateHarness;

    beforeAll(async () => {
      unconfigured = await startArkgate({ env: { ARK_API_KEY: undefined } });
    });

    afterAll(() => unconfigured.close());

    it('answers 503 naming ARK_API_KEY', async () => {
      const { status, body } = await postJson(`${unconfigured.url}/v1/embeddings`, {
        model: TEXT_MODEL,
        input: 'hi',
      });

      expect(status).toBe(503);
      expect(body.error).toMatchObject({
        message: expect.stringContaining('ARK_API_KEY'),
        code: 'upstream_not_configured',
      });
    });
  });
});
