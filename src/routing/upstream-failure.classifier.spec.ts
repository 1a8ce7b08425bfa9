import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';
import { mapUpstreamError } from '../llm/upstream-error.mapper';
import { failureKind } from './upstream-failure.classifier';

function upstream(status: number): APIError {
  return APIError.generate(status, { error: { message: 'x' } }, undefined, new Headers());
}

describe(failureKind.name, () => {
  it.each([
    ['a 429', upstream(429), 'rate_limit'],
    ['a 500', upstream(500), 'server_error'],
    ['a 502', upstream(502), 'server_error'],
    ['a 503', upstream(503), 'server_error'],
    ['a 401', upstream(401), 'auth'],
    ['a 403', upstream(403), 'auth'],
    ['a timeout', new APIConnectionTimeoutError(), 'timeout'],
    ['a connection failure', new APIConnectionError({ message: 'ECONNREFUSED' }), 'connection'],
    ['a broken answer', new SyntaxError('Unexpected end of JSON input'), 'server_error'],
  ])('calls %s, as mapped for the caller, a target failure', (_, error, kind) => {
    expect(failureKind(mapUpstreamError(error))).toBe(kind);
  });

  it.each([
    ['a 400', upstream(400)],
    ['a 404', upstream(404)],
    ['a 422', upstream(422)],
    ['a caller that went away', new APIUserAbortError()],
  ])('does not call %s a target failure', (_, error) => {
    expect(failureKind(mapUpstreamError(error))).toBeUndefined();
  });

  it('classifies the SDK error itself as well as the mapped one', () => {
    expect(failureKind(upstream(429))).toBe('rate_limit');
    expect(failureKind(new APIConnectionTimeoutError())).toBe('timeout');
  });

  it('calls the stream idle timeout a timeout', () => {
    const error = new GatewayError('idle', {
      status: 504,
      code: GatewayErrorCode.UpstreamTimeout,
      type: 'timeout_error',
    });

    expect(failureKind(error)).toBe('timeout');
  });

  it('calls a gateway error of a broken answer a server error', () => {
    const error = new GatewayError('broken', {
      status: 502,
      code: GatewayErrorCode.UpstreamBadResponse,
      type: 'server_error',
    });

    expect(failureKind(error)).toBe('server_error');
  });

  it('does not call any other gateway error or a plain error a target failure', () => {
    const own = new GatewayError('bad', {
      status: 400,
      code: GatewayErrorCode.InvalidRequest,
      type: 'invalid_request_error',
    });

    expect(failureKind(own)).toBeUndefined();
    expect(failureKind(new Error('boom'))).toBeUndefined();
  });
});
