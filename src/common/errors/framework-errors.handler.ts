import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { appSecurityHeaders } from '../../security/security-headers.hook';
import { GatewayErrorCode } from './gateway-error-code.enum';

// Fixed messages: Fastify's own would echo the URL, query string (and any access_token) included.
const MESSAGE_BY_CODE: Record<string, string> = {
  FST_ERR_BAD_URL: 'The request URL is not valid (malformed percent-encoding).',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long.',
};

/**
 * Fastify's router rejects a malformed URL (FST_ERR_BAD_URL) or an over-long path parameter
 * (FST_ERR_MAX_PARAM_LENGTH, 414 by default) before Nest sees the request, so the global filter
 * never shapes those answers. Both are client errors: answer 400 in OpenAI's envelope like every
 * other invalid request. The onRequest hooks have not run either: the security headers are set
 * here.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const message = MESSAGE_BY_CODE[error.code] ?? 'The request URL is not valid.';
  for (const [name, value] of appSecurityHeaders()) reply.header(name, value);
  void reply
    .code(400)
    .type('application/json; charset=utf-8')
    .send({
      error: {
        message,
        type: 'invalid_request_error',
        param: null,
        code: GatewayErrorCode.InvalidRequest,
      },
    });
}
