import { BufferedResponse } from './buffered.response';

const JSON_TEXT = '{"id":"chatcmpl-1","text":"héllo"}';

function sut(): BufferedResponse {
  return new BufferedResponse(new TextEncoder().encode(JSON_TEXT), {
    status: 201,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

describe(BufferedResponse.name, () => {
  it('is a Response with the status and headers it was given', () => {
    const response = sut();

    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok]).toEqual([201, true]);
    expect(response.headers.get('x-request-id')).toBe('req-1');
  });

  it.each([
    ['text', async (r: Response) => r.text(), JSON_TEXT],
    ['json', async (r: Response) => await r.json(), JSON.parse(JSON_TEXT)],
    ['bytes', async (r: Response) => new TextDecoder().decode(await r.bytes()), JSON_TEXT],
    [
      'arrayBuffer',
      async (r: Response) => new TextDecoder().decode(await r.arrayBuffer()),
      JSON_TEXT,
    ],
    ['blob', async (r: Response) => (await r.blob()).text(), JSON_TEXT],
  ])('reads its bytes with %s(), once', async (_, read, expected) => {
    const response = sut();

    expect(response.bodyUsed).toBe(false);
    expect(await read(response)).toEqual(expected);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('hands its bytes out as a stream when that is asked for', async () => {
    const response = sut();

    expect(await readAll(response.body)).toBe(JSON_TEXT);
    expect(response.bodyUsed).toBe(true);
    await expect(response.json()).rejects.toThrow(TypeError);
  });

  it('can still be read whole after its stream was looked at but not read', async () => {
    const response = sut();
    const stream = response.body;

    expect(await response.text()).toBe(JSON_TEXT);
    expect(await readAll(stream)).toBe('');
  });

  it('clones into a response read on its own', async () => {
    const response = sut();
    const copy = response.clone();

    expect(await copy.text()).toBe(JSON_TEXT);
    expect(await response.json()).toEqual(JSON.parse(JSON_TEXT));
    expect(() => response.clone()).toThrow(TypeError);
  });
});
