import type OpenAI from 'openai';
import { GatewayErrorCode } from '../common/errors/gateway-error-code.enum';
import { GatewayError } from '../common/errors/gateway.error';

/** The ModelArk client, or a 503 that says how to configure it. */
export function requireArkClient(client: OpenAI | null): OpenAI {
  if (client) return client;
  throw new GatewayError(
    'arkgate has no BytePlus credentials: set ARK_API_KEY (and ARK_BASE_URL for a region other than ap-southeast) and restart.',
    {
      status: 503,
      code: GatewayErrorCode.UpstreamNotConfigured,
      type: 'service_unavailable_error',
      retryable: false,
    },
  );
}
