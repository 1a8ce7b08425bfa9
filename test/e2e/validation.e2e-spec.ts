import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { MODEL, userSays } from './chat.fixtures';
import { getJson, postJson } from './json.client';

const MAX_BODY_BYTES = 4096;

const invalid = (message: string, param: string | null) => ({
  error: { message, type: 'invalid_request_error', param, code: 'invalid_request' },
});

describe('Request validation (400s with clear bodies, nothing sent upstream)', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    sut = await startArkgate({
      env: { ARK_DEFAULT_MODEL: MODEL, MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
    });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  afterEach(() => expect(sut.simulator.requests).toEqual([]));

  describe('POST /v1/chat/completions', () => {
    const completions = () => `${sut.url}/v1/chat/completions`;

    it.each([
      ['empty messages', { messages: [] }, invalid('messages should not be empty', 'messages')],
      [
        'a message with an unknown role',
        { messages: [{ role: 'wizard', content: 'hi' }] },
        invalid(
          'messages.0.role must be one of the following values: system, developer, user, assistant, tool',
          'messages.0.role',
        ),
      ],
      [
        'messages that is not an array',
        { messages: 'hi' },
        invalid(
          'messages should not be empty; messages must be an array; each value in nested property messages must be either object or array',
          'messages',
        ),
      ],
      [
        'no messages at all',
        { model: MODEL },
        invalid('messages should not be empty; messages must be an array', 'messages'),
      ],
      [
        'a message that is not an object',
        { messages: [null] },
        invalid(
          'messages.0: each value in nested property messages must be either object or array',
          'messages.0',
        ),
      ],
      [
        'a message whose content is a number',
        { messages: [{ role: 'user', content: 42 }] },
        invalid(
          'messages.0.content must be a string or a non-empty array of content parts with a "type"',
          'messages.0.content',
        ),
      ],
      [
        'a tool message without tool_call_id',
        { messages: [{ role: 'tool', content: 'sunny' }] },
        invalid('messages.0.tool_call_id must be a string', 'messages.0.tool_call_id'),
      ],
      [
        'a temperature that is not a number',
        { messages: userSays('hi'), temperature: 'hot' },
        invalid(
          'temperature must not be greater than 2; temperature must not be less than 0; temperature must be a number conforming to the specified constraints',
          'temperature',
        ),
      ],
      [
        'a negative max_tokens',
        { messages: userSays('hi'), max_tokens: -1 },
        invalid('max_tokens must not be less than 1', 'max_tokens'),
      ],
      [
        'a stream flag that is not a boolean',
        { messages: userSays('hi'), stream: 'yes' },
        invalid('stream must be a boolean value', 'stream'),
      ],
      [
        'an empty model',
        { model: '', messages: userSays('hi') },
        invalid('model should not be empty', 'model'),
      ],
      [
        'an unknown reasoning_effort',
        { messages: userSays('hi'), reasoning_effort: 'extreme' },
        invalid(
          'reasoning_effort must be one of the following values: minimal, low, medium, high',
          'reasoning_effort',
        ),
      ],
    ])('rejects %s', async (_case, request, expected) => {
      const { status, body } = await postJson(completions(), request);

      expect(status).toBe(400);
      expect(body).toEqual(expected);
    });

    it('lists every problem, naming the first as param', async () => {
      const { status, body } = await postJson(completions(), {
        messages: userSays('hi'),
        temperature: 3,
        max_tokens: 0,
      });

      expect(status).toBe(400);
      expect(body).toEqual(
        invalid(
          'temperature must not be greater than 2; max_tokens must not be less than 1',
          'temperature',
        ),
      );
    });

    it('answers 400 invalid_json for a malformed JSON body', async () => {
      const { status, body } = await postJson(completions(), '{"messages": [');

      expect(status).toBe(400);
      expect(body).toEqual({
        error: {
          message: expect.stringMatching(/^Request body is not valid JSON: /),
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_json',
        },
      });
    });

    it('answers 415 for a body that is not JSON', async () => {
      const { status, body } = await postJson(completions(), 'hello', {
        'content-type': 'text/plain',
      });

      expect(status).toBe(415);
      expect(body).toEqual({
        error: {
          message: expect.stringMatching(/^Unsupported Media Type/),
          type: 'invalid_request_error',
          param: null,
          code: 'unsupported_media_type',
        },
      });
    });

    it('answers 413 for a body over MAX_BODY_BYTES', async () => {
      const { status, body } = await postJson(completions(), {
        messages: userSays('x'.repeat(MAX_BODY_BYTES)),
      });

      expect(status).toBe(413);
      expect(body).toEqual({
        error: {
          message: 'Request body is too large',
          type: 'invalid_request_error',
          param: null,
          code: 'payload_too_large',
        },
      });
    });
  });

  describe('the app routes', () => {
    it('rejects POST /v1/chat without messages or input', async () => {
      const { status, body } = await postJson(`${sut.url}/v1/chat`, { model: MODEL });

      expect(status).toBe(400);
      expect(body).toEqual(
        invalid(
          'messages should not be empty; messages must be an array; input should not be empty; input must be a string',
          'messages',
        ),
      );
    });

    it('rejects POST /v1/chat with an empty input', async () => {
      const { status, body } = await postJson(`${sut.url}/v1/chat`, { input: '' });

      expect(status).toBe(400);
      expect(body).toEqual(invalid('input should not be empty', 'input'));
    });

    it('rejects POST /v1/chat/stream with a bad role, before any stream starts', async () => {
      const { status, headers, body } = await postJson(`${sut.url}/v1/chat/stream`, {
        messages: [{ role: 'robot', content: 'hi' }],
      });

      expect(status).toBe(400);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(body.error.param).toBe('messages.0.role');
    });

    it('rejects GET /v1/chat/stream without input', async () => {
      const { status, body } = await getJson(`${sut.url}/v1/chat/stream`);

      expect(status).toBe(400);
      expect(body).toEqual(invalid('input should not be empty; input must be a string', 'input'));
    });

    it('rejects GET /v1/chat/stream with temperature=hot', async () => {
      const { status, body } = await getJson(`${sut.url}/v1/chat/stream?input=hi&temperature=hot`);

      expect(status).toBe(400);
      expect(body.error).toMatchObject({
        message: expect.stringContaining('temperature must be a number'),
        param: 'temperature',
      });
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/nowhere'],
      ['POST', '/v1/completions'],
      ['DELETE', '/v1/chat'],
    ])('answers %s %s with a 404 in OpenAI envelope', async (method, path) => {
      const response = await fetch(`${sut.url}${path}`, { method });

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        error: {
          message: `Cannot ${method} ${path}`,
          type: 'not_found_error',
          param: null,
          code: 'not_found',
        },
      });
    });
  });
});
