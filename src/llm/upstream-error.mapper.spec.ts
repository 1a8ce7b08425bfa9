import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { GatewayError } from '../common/errors/gateway.error';
import { mapUpstreamError } from './upstream-error.mapper';

function upstream(status: number, body: object, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error: body }, undefined, new Headers(headers));
}

function mapped(error: unknown): GatewayError {
  const result = mapUpstreamError(error);
  expect(result).toBeInstanceOf(GatewayError);
  return result as GatewayError;
}

describe(mapUpstreamError.name, () => {
  it.each([400, 404, 422])('passes %i through with ModelArk message, code and param', (status) => {
    const sut = mapped(
      upstream(status, {
        message: 'bad temperature',
        code: 'InvalidParameter',
        param: 'temperature',
      }),
    );
    expect(sut.status).toBe(status);
    expect(sut.message).toBe('bad temperature');
    expect(sut.code).toBe('InvalidParameter');
    expect(sut.param).toBe('temperature');
  });

  it.each([401, 403])('turns %i into 502: our credentials are wrong, not the caller', (status) => {
    const sut = mapped(upstream(status, { message: 'invalid key' }));
    expect(sut.status).toBe(502);
    expect(sut.code).toBe('upstream_auth_failed');
    expect(sut.message).toContain('ARK_API_KEY');
  });

  it('keeps 429 with retry-after', () => {
    const sut = mapped(upstream(429, { message: 'slow down' }, { 'retry-after': '7' }));
    expect(sut.status).toBe(429);
    expect(sut.retryAfter).toBe('7');
    expect(sut.type).toBe('rate_limit_error');
  });

  it.each([500, 502, 503])('turns upstream %i into 502', (status) => {
    expect(mapped(upstream(status, { message: 'boom' })).status).toBe(502);
  });

  it('turns a timeout into 504 and a connection failure into 502', () => {
    expect(mapped(new APIConnectionTimeoutError()).status).toBe(504);
    expect(mapped(new APIConnectionError({ message: 'ECONNREFUSED' })).status).toBe(502);
  });

  it('turns a broken stream into 502', () => {
    const sut = mapped(new SyntaxError('Unexpected token'));
    expect(sut.status).toBe(502);
    expect(sut.code).toBe('upstream_bad_response');
  });

  it('leaves a client abort and our own errors alone', () => {
    const abort = new APIUserAbortError();
    expect(mapUpstreamError(abort)).toBe(abort);
    const own = new GatewayError('x', { status: 400, code: 'c', type: 'invalid_request_error' });
    expect(mapUpstreamError(own)).toBe(own);
  });

  it.each([
    ['a passed-through 400', upstream(400, { message: 'bad' })],
    ['a 429', upstream(429, { message: 'slow down' })],
    ['a 500', upstream(500, { message: 'boom' })],
    ['a 401', upstream(401, { message: 'invalid key' })],
    ['a timeout', new APIConnectionTimeoutError()],
    ['a connection failure', new APIConnectionError({ message: 'ECONNREFUSED' })],
    ['a broken answer', new Error('unexpected end of stream')],
  ])('tells the caller not to retry %s: arkgate has retried already', (_, error) => {
    expect(mapped(error).retryable).toBe(false);
  });
});
