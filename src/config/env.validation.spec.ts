import { validateEnv } from './env.validation';

describe(validateEnv.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    const sut = validateEnv({});
    expect(sut.PORT).toBe(3000);
    expect(sut.ARK_BASE_URL).toBe('https://ark.ap-southeast.bytepluses.com/api/v3');
    expect(sut.MLFLOW_TRACKING_URI).toBe('http://localhost:5000');
    expect(sut.MLFLOW_EXPERIMENT_NAME).toBe('BytePlus');
    expect(sut.ARK_API_KEY).toBeUndefined();
    expect(sut.DOCS_ENABLED).toBe(true);
  });

  it('converts numbers and booleans from strings', () => {
    const sut = validateEnv({ PORT: '8080', ARK_MAX_RETRIES: '0', DOCS_ENABLED: 'false' });
    expect(sut.PORT).toBe(8080);
    expect(sut.ARK_MAX_RETRIES).toBe(0);
    expect(sut.DOCS_ENABLED).toBe(false);
  });

  it('treats empty strings as unset', () => {
    expect(validateEnv({ ARK_API_KEY: '', PORT: '' }).PORT).toBe(3000);
  });

  it('names every bad variable in one error', () => {
    const call = () =>
      validateEnv({
        PORT: 'eighty',
        ARK_BASE_URL: 'not a url',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'http://localhost:6379',
      });
    expect(call).toThrow(/4 variable/);
    expect(call).toThrow(/PORT="eighty"/);
    expect(call).toThrow(/ARK_BASE_URL="not a url"/);
    expect(call).toThrow(/LOG_LEVEL="loud"/);
    expect(call).toThrow(/REDIS_URL="http:\/\/localhost:6379"/);
  });

  it('defaults the prompt cache and feedback settings, and rejects a zero TTL', () => {
    const sut = validateEnv({});
    expect(sut.PROMPT_CACHE_TTL_SECONDS).toBe(60);
    expect(sut.PROMPT_CACHE_MAX_ENTRIES).toBe(500);
    expect(sut.PROMPT_FETCH_TIMEOUT_MS).toBe(5_000);
    expect(sut.FEEDBACK_TRACE_WAIT_SECONDS).toBe(600);
    expect(() => validateEnv({ PROMPT_CACHE_TTL_SECONDS: '0' })).toThrow(
      /PROMPT_CACHE_TTL_SECONDS="0"/,
    );
  });

  it('accepts an EU-region base URL and an endpoint id as default model', () => {
    const sut = validateEnv({
      ARK_BASE_URL: 'https://ark.eu-west.bytepluses.com/api/v3',
      ARK_DEFAULT_MODEL: 'ep-20250101-abcde',
    });
    expect(sut.ARK_BASE_URL).toContain('eu-west');
    expect(sut.ARK_DEFAULT_MODEL).toBe('ep-20250101-abcde');
  });

  it('turns the playground on by default and off with PLAYGROUND_ENABLED=false', () => {
    expect(validateEnv({}).PLAYGROUND_ENABLED).toBe(true);
    expect(validateEnv({ PLAYGROUND_ENABLED: 'false' }).PLAYGROUND_ENABLED).toBe(false);
  });

  it('leaves MLFLOW_UI_URL unset by default and rejects one that is not an http(s) URL', () => {
    expect(validateEnv({}).MLFLOW_UI_URL).toBeUndefined();
    expect(validateEnv({ MLFLOW_UI_URL: 'https://mlflow.example.com' }).MLFLOW_UI_URL).toBe(
      'https://mlflow.example.com',
    );
    expect(() => validateEnv({ MLFLOW_UI_URL: 'mlflow.internal' })).toThrow(
      /MLFLOW_UI_URL="mlflow.internal"/,
    );
  });
});
