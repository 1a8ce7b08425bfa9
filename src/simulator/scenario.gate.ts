import { SimulatorControl } from './simulator-control.model';
import { SimulatorError } from './simulator.error';

const MAX_REMEMBERED_KEYS = 10_000;

export interface ScenarioSubject {
  /** Fallback `fail-once` key when the control has none; a retried request yields the same one. */
  key: string;
  model?: string;
}

/** Turns the error scenarios of a control object into the errors BytePlus would answer. */
export class ScenarioGate {
  private readonly failedKeys = new Set<string>();

  /** Throws the scenario's error; returns when the request should be answered normally. */
  check(control: SimulatorControl, subject: ScenarioSubject): void {
    const error = this.errorFor(control, subject);
    if (!error) return;
    if (control.retryAfterMs !== undefined && (error.status === 429 || error.status >= 500)) {
      error.headers['retry-after-ms'] = String(control.retryAfterMs);
    }
    throw error;
  }

  reset(): void {
    this.failedKeys.clear();
  }

  private errorFor(control: SimulatorControl, subject: ScenarioSubject) {
    switch (control.scenario) {
      case 'error-400':
        return SimulatorError.badRequest('The request parameters are invalid (simulated).', null);
      case 'error-401':
        return new SimulatorError(
          401,
          'AuthenticationError',
          'The API key or AK/SK in the request is missing or invalid (simulated).',
        );
      case 'error-403':
        return new SimulatorError(
          403,
          'AccessDenied',
          'The request failed because you do not have access to the requested resource (simulated).',
        );
      case 'error-404':
        return new SimulatorError(
          404,
          'InvalidEndpointOrModel.NotFound',
          `The model or endpoint ${subject.model ?? ''} does not exist or you do not have access to it (simulated).`,
          'model',
        );
      case 'error-429':
        return new SimulatorError(
          429,
          'RateLimitExceeded.EndpointRPMExceeded',
          'The request has exceeded the RPM rate limit of the model or endpoint (simulated). Please retry later.',
          null,
          { 'retry-after': String(control.retryAfter ?? 1) },
        );
      case 'error-500':
        return this.internalError();
      case 'error-503':
        return new SimulatorError(
          503,
          'ServiceUnavailable',
          'The service is temporarily unavailable (simulated). Please retry later.',
        );
      case 'fail-once':
        return this.failOnce(control.key ?? subject.key);
      default:
        return undefined;
    }
  }

  private failOnce(key: string) {
    if (this.failedKeys.has(key)) return undefined;
    if (this.failedKeys.size >= MAX_REMEMBERED_KEYS) this.failedKeys.clear();
    this.failedKeys.add(key);
    return this.internalError();
  }

  private internalError() {
    return new SimulatorError(
      500,
      'InternalServiceError',
      'The service encountered an unexpected internal error (simulated).',
    );
  }
}
