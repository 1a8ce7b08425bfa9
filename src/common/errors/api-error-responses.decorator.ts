import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const EXAMPLES: Record<
  number,
  { description: string; message: string; type: string; code: string }
> = {
  400: {
    description: 'Invalid request (validation, malformed JSON, or rejected by ModelArk)',
    message: 'messages must contain at least 1 elements',
    type: 'invalid_request_error',
    code: 'invalid_request',
  },
  401: {
    description: 'Missing or wrong arkgate API key',
    message: 'Missing API key',
    type: 'authentication_error',
    code: 'invalid_api_key',
  },
  404: {
    description: 'Unknown model or endpoint at ModelArk',
    message: 'The model or endpoint does not exist',
    type: 'not_found_error',
    code: 'InvalidEndpointOrModel.NotFound',
  },
  429: {
    description: 'Rate limited; honour the retry-after header',
    message: 'Request rate limit exceeded',
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
  },
  502: {
    description: 'ModelArk failed, rejected arkgate credentials, or sent a broken answer',
    message: 'BytePlus ModelArk failed (500)',
    type: 'server_error',
    code: 'upstream_unavailable',
  },
  503: {
    description: 'arkgate has no ModelArk credentials configured',
    message: 'arkgate has no BytePlus credentials: set ARK_API_KEY',
    type: 'service_unavailable_error',
    code: 'upstream_not_configured',
  },
  504: {
    description: 'ModelArk did not answer in time',
    message: 'BytePlus ModelArk did not answer within ARK_TIMEOUT_MS.',
    type: 'timeout_error',
    code: 'upstream_timeout',
  },
};

/** Documents the OpenAI error envelope for each listed status. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const { description, message, type, code } = EXAMPLES[status];
      return ApiResponse({
        status,
        description,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/OpenAiErrorDto' },
            example: { error: { message, type, param: null, code } },
          },
        },
      });
    }),
  );
}
