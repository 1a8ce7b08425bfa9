const decoder = new TextDecoder();

type BodyMember =
  'body' | 'bodyUsed' | 'bytes' | 'arrayBuffer' | 'text' | 'json' | 'blob' | 'formData' | 'clone';

/** The global Response, typed without the members a subclass overrides (declared as properties). */
const ResponseBase: new (body: null, init: ResponseInit) => Omit<Response, BodyMember> = Response;

function unusable(): TypeError {
  return new TypeError('Body is unusable: Body has already been read');
}

/**
 * A Response for a body already read whole: `text()`, `json()`, `arrayBuffer()` and `bytes()`
 * answer from the bytes in memory, and `body` becomes a stream only when something asks for it.
 * A `new Response(bytes)` copies them into a byte stream on construction, for the SDK to read
 * that stream back: about 45 µs of CPU per call under load. As with any Response, the body can
 * be read once (from the stream or by a method, not both).
 */
export class BufferedResponse extends ResponseBase implements Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #init: ResponseInit;
  #stream?: ReadableStream<Uint8Array<ArrayBuffer>>;
  #read = false;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
    this.#init = init;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    // Pulled only when read (no high-water mark): the read is what uses the body up.
    this.#stream ??= new ReadableStream(
      {
        pull: (controller) => {
          if (!this.#read) controller.enqueue(this.#bytes);
          this.#read = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return this.#stream;
  }

  get bodyUsed(): boolean {
    return this.#read;
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.bodyUsed) return Promise.reject(unusable());
    // A stream handed out but not read yet ends empty from now on (its pull sees the flag).
    this.#read = true;
    return Promise.resolve(this.#bytes);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes().then((bytes) =>
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
  }

  text(): Promise<string> {
    return this.bytes().then((bytes) => decoder.decode(bytes));
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  blob(): Promise<Blob> {
    return this.bytes().then((bytes) => new Response(bytes, this.#init).blob());
  }

  formData(): Promise<FormData> {
    return this.bytes().then((bytes) => new Response(bytes, this.#init).formData());
  }

  clone(): Response {
    if (this.bodyUsed) throw unusable();
    return new BufferedResponse(this.#bytes, this.#init);
  }
}
