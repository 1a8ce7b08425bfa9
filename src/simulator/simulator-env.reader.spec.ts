import { DEFAULT_SIMULATOR_PORT, SimulatorEnvReader } from './simulator-env.reader';

describe(SimulatorEnvReader.name, () => {
  it('defaults the port to 4010 and leaves the rest to the simulator defaults', () => {
    const sut = new SimulatorEnvReader({});

    expect(sut.read()).toEqual({
      host: undefined,
      port: DEFAULT_SIMULATOR_PORT,
      latencyMs: undefined,
      tokenDelayMs: undefined,
      apiKey: undefined,
      logRequests: undefined,
    });
    expect(DEFAULT_SIMULATOR_PORT).toBe(4010);
  });

  it('reads every variable', () => {
    const sut = new SimulatorEnvReader({
      SIMULATOR_HOST: '0.0.0.0',
      SIMULATOR_PORT: '0',
      SIMULATOR_LATENCY_MS: '250',
      SIMULATOR_TOKEN_DELAY_MS: '20',
      SIMULATOR_API_KEY: 'sk-sim',
      SIMULATOR_LOG_REQUESTS: 'false',
    });

    expect(sut.read()).toEqual({
      host: '0.0.0.0',
      port: 0,
      latencyMs: 250,
      tokenDelayMs: 20,
      apiKey: 'sk-sim',
      logRequests: false,
    });
  });

  it('names every bad variable in one error', () => {
    const sut = new SimulatorEnvReader({
      SIMULATOR_PORT: '70000',
      SIMULATOR_LATENCY_MS: 'slow',
      SIMULATOR_LOG_REQUESTS: 'maybe',
    });

    expect(() => sut.read()).toThrow(
      /SIMULATOR_PORT.*70000.*SIMULATOR_LATENCY_MS.*slow.*SIMULATOR_LOG_REQUESTS.*maybe/,
    );
  });
});
