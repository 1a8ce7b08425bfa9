import { GatewayError } from '../common/errors/gateway.error';

/** 401 in OpenAI's shape (`invalid_api_key`, as OpenAI answers for a bad key). */
export function unauthenticated(message: string): GatewayError {
  return new GatewayError(message, {
    status: 401,
    code: 'invalid_api_key',
    type: 'authentication_error',
  });
}

/** 403: a valid browser token used on a route tokens may not call. */
export function tokenNotAllowed(route: string): GatewayError {
  return new GatewayError(`A browser token cannot call ${route}; use an API key`, {
    status: 403,
    code: 'token_not_allowed',
    type: 'permission_error',
  });
}
