import { ValidationError, ValidationPipe } from '@nestjs/common';
import { GatewayErrorCode } from '../errors/gateway-error-code.enum';
import { GatewayError } from '../errors/gateway.error';

function flatten(errors: ValidationError[], parent = ''): { path: string; message: string }[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    // Messages normally start with the property ("role must be..."); an array element's do not.
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: !parent
        ? message
        : message.startsWith(`${error.property} `)
          ? `${parent}.${message}`
          : `${path}: ${message}`,
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Nest's ValidationPipe without two walks over every value that cannot find anything in arkgate:
 * its values come from JSON and urlencoded bodies and query strings (JSON.parse and
 * fast-querystring), and none can hold an array with gaps or a binary value. A multipart or
 * `qs`-style parser would make these walks needed again. They were about a fifth of the pipe's
 * instructions per chat body (563k down to 460k). The prototype-key walk stays.
 */
class JsonValidationPipe extends ValidationPipe {
  protected override closeArrayGaps(): void {}

  protected override findNestedBinaryValues(): ValidationError[] {
    return [];
  }
}

/**
 * The one ValidationPipe: unknown fields are kept (they are forwarded to ModelArk), and a failure
 * is a 400 in OpenAI's shape that lists every problem and names the first field as `param`.
 */
export function createValidationPipe(): ValidationPipe {
  return new JsonValidationPipe({
    transform: true,
    whitelist: false,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new GatewayError(problems.map((problem) => problem.message).join('; '), {
        status: 400,
        code: GatewayErrorCode.InvalidRequest,
        type: 'invalid_request_error',
        param: problems[0]?.path ?? null,
      });
    },
  });
}
