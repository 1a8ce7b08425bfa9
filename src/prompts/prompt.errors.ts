import { GatewayError } from '../common/errors/gateway.error';
import { PromptErrorCode } from './prompts.constants';

const notFound = (message: string, param = 'prompt') =>
  new GatewayError(message, {
    status: 404,
    code: PromptErrorCode.notFound,
    type: 'not_found_error',
    param,
  });

/** The errors a prompt reference can fail with, each naming what was wrong. */
export const PromptErrors = {
  invalidReference: (message: string, param = 'prompt') =>
    new GatewayError(message, {
      status: 400,
      code: PromptErrorCode.invalidReference,
      type: 'invalid_request_error',
      param,
    }),

  unknownPrompt: (name: string) =>
    notFound(`Prompt "${name}" does not exist in the MLflow prompt registry`, 'prompt.name'),

  unknownVersion: (name: string, version: string) =>
    notFound(`Prompt "${name}" has no version ${version}`, 'prompt.version'),

  unknownAlias: (name: string, alias: string) =>
    notFound(`Prompt "${name}" has no alias "${alias}"`, 'prompt.alias'),

  notAPrompt: (name: string) =>
    notFound(`"${name}" is a registered model in MLflow, not a prompt`, 'prompt.name'),

  missingVariables: (name: string, version: string, missing: string[]) =>
    new GatewayError(
      `Prompt "${name}" version ${version} needs variable(s) that were not given: ` +
        `${missing.join(', ')}`,
      {
        status: 400,
        code: PromptErrorCode.missingVariable,
        type: 'invalid_request_error',
        param: `prompt.variables.${missing[0]}`,
      },
    ),

  unsupported: (name: string, version: string, reason: string) =>
    new GatewayError(`Prompt "${name}" version ${version} cannot be used: ${reason}`, {
      status: 422,
      code: PromptErrorCode.unsupported,
      type: 'invalid_request_error',
      param: 'prompt',
    }),

  registryUnavailable: (uri: string, cause: unknown) =>
    new GatewayError(
      `The MLflow prompt registry is unavailable and ${uri} is not cached: ${describe(cause)}`,
      {
        status: 503,
        code: PromptErrorCode.registryUnavailable,
        type: 'service_unavailable_error',
        retryAfter: '5',
        cause,
      },
    ),

  listUnavailable: (cause: unknown) =>
    new GatewayError(`The MLflow prompt registry is unavailable: ${describe(cause)}`, {
      status: 503,
      code: PromptErrorCode.registryUnavailable,
      type: 'service_unavailable_error',
      retryAfter: '5',
      cause,
    }),

  invalidPageToken: (message: string) =>
    new GatewayError(`Invalid page_token: ${message}`, {
      status: 400,
      code: PromptErrorCode.invalidReference,
      type: 'invalid_request_error',
      param: 'page_token',
    }),
};

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
