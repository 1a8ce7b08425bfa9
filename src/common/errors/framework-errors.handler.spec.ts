import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { appSecurityHeaders } from '../../security/security-headers.hook';
import { answerFrameworkError } from './framework-errors.handler';

function frameworkError(code: string, statusCode: number, message: string): FastifyError {
  return Object.assign(new Error(message), { code, statusCode, name: 'FastifyError' });
}

describe(answerFrameworkError.name, () => {
  function answer(error: FastifyError) {
    const sent: {
      status?: number;
      type?: string;
      body?: unknown;
      headers: Record<string, string>;
    } = { headers: {} };
    const reply = {
      header(name: string, value: string) {
        sent.headers[name.toLowerCase()] = value;
        return this;
      },
      code(status: number) {
        sent.status = status;
        return this;
      },
      type(type: string) {
        sent.type = type;
        return this;
      },
      send(body: unknown) {
        sent.body = body;
        return this;
      },
    };
    answerFrameworkError(error, {} as FastifyRequest, reply as unknown as FastifyReply);
    return sent;
  }

  it('answers an over-long path parameter with 400 in OpenAI error shape', () => {
    const sent = answer(
      frameworkError(
        'FST_ERR_MAX_PARAM_LENGTH',
        414,
        "'/v1/prompts/aaa' is exceeding the max param length",
      ),
    );

    expect(sent).toEqual({
      headers: expect.any(Object),
      status: 400,
      type: 'application/json; charset=utf-8',
      body: {
        error: {
          message: 'A path parameter is too long.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_request',
        },
      },
    });
  });

  it('answers a malformed URL with 400 in OpenAI error shape', () => {
    const sent = answer(
      frameworkError('FST_ERR_BAD_URL', 400, "'%zz' is not a valid url component"),
    );

    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(JSON.stringify(sent.body)).not.toContain('%zz');
  });

  it('sets the security headers the onRequest hook would have set', () => {
    const sent = answer(frameworkError('FST_ERR_BAD_URL', 400, 'bad'));

    expect(sent.headers).toEqual(
      Object.fromEntries(appSecurityHeaders().map(([name, value]) => [name.toLowerCase(), value])),
    );
    expect(sent.headers['x-content-type-options']).toBe('nosniff');
  });
});
