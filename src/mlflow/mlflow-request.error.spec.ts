import { MlflowRequestError } from './mlflow-request.error';

function error(status: number | undefined, errorCode: string, message = 'x'): MlflowRequestError {
  return new MlflowRequestError({ method: 'POST', path: '/v1/traces', status, errorCode, message });
}

describe(MlflowRequestError.name, () => {
  it.each([
    [undefined, 'NETWORK_ERROR'],
    [undefined, 'TIMEOUT'],
    [408, 'HTTP_408'],
    [429, 'REQUEST_LIMIT_EXCEEDED'],
    [500, 'INTERNAL_ERROR'],
    [502, 'HTTP_502'],
    [503, 'TEMPORARILY_UNAVAILABLE'],
    [504, 'HTTP_504'],
  ])('retries status %s %s', (status, code) => {
    expect(error(status, code).retryable).toBe(true);
  });

  it.each([
    [400, 'INVALID_PARAMETER_VALUE'],
    [400, 'RESOURCE_ALREADY_EXISTS'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'RESOURCE_DOES_NOT_EXIST'],
    [422, 'HTTP_422'],
    [501, 'HTTP_501'],
  ])('does not retry status %s %s', (status, code) => {
    expect(error(status, code).retryable).toBe(false);
  });

  it('retries database contention whatever status it came with', () => {
    expect(
      error(400, 'BAD_REQUEST', '(sqlite3.OperationalError) database is locked').retryable,
    ).toBe(true);
    expect(error(400, 'BAD_REQUEST', 'Deadlock found when trying to get lock').retryable).toBe(
      true,
    );
    expect(error(422, 'HTTP_422', 'Failed to log OpenTelemetry spans').retryable).toBe(true);
  });

  it('names the call, status and code in its message', () => {
    expect(error(404, 'RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=9').message).toBe(
      'MLflow POST /v1/traces failed 404 RESOURCE_DOES_NOT_EXIST: No Experiment with id=9',
    );
  });
});
