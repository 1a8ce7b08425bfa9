import { GatewayError } from './gateway.error';
import { toErrorResponse } from './error-response.mapper';

const error = (options: Partial<ConstructorParameters<typeof GatewayError>[1]>) =>
  new GatewayError('failed', {
    status: 502,
    code: 'upstream_unavailable',
    type: 'server_error',
    ...options,
  });

describe(toErrorResponse.name, () => {
  it('says x-should-retry as the error decided, and nothing when it did not', () => {
    expect(toErrorResponse(error({ retryable: false })).headers).toEqual({
      'x-should-retry': 'false',
    });
    expect(toErrorResponse(error({ retryable: true })).headers).toEqual({
      'x-should-retry': 'true',
    });
    expect(toErrorResponse(error({ status: 429, retryAfter: '3' })).headers).toEqual({
      'retry-after': '3',
    });
  });

  it('tells callers not to retry a fault of arkgate itself', () => {
    const answer = toErrorResponse(new TypeError('undefined is not a function'));

    expect(answer.status).toBe(500);
    expect(answer.headers).toEqual({ 'x-should-retry': 'false' });
    expect(answer.body.error.code).toBe('internal_error');
  });
});
