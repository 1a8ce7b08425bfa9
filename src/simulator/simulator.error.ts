const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'server_error',
  503: 'server_error',
};

/** An answer in the OpenAI/BytePlus error envelope, thrown by handlers and written by the pipeline. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SimulatorError';
  }

  static badRequest(message: string, param: string | null, code = 'InvalidParameter') {
    return new SimulatorError(400, code, message, param);
  }

  static missing(param: string) {
    return new SimulatorError(
      400,
      'MissingParameter',
      `The request failed because it is missing one or multiple required parameters. Request parameter: ${param}`,
      param,
    );
  }

  /** The envelope body; BytePlus appends the request id to every message. */
  toBody(requestId: string) {
    return {
      error: {
        code: this.code,
        message: `${this.message} Request id: ${requestId}`,
        param: this.param,
        type: TYPES[this.status] ?? 'server_error',
      },
    };
  }
}
