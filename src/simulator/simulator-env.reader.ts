import { SimulatorOptions } from './simulator-options.model';

type Env = Record<string, string | undefined>;

export const DEFAULT_SIMULATOR_PORT = 4010;

/** Options from `SIMULATOR_*` variables; every bad variable is named in one error. */
export class SimulatorEnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  read(): Partial<SimulatorOptions> {
    const options: Partial<SimulatorOptions> = {
      host: this.env.SIMULATOR_HOST || undefined,
      port: this.integer('SIMULATOR_PORT', 0, 65535) ?? DEFAULT_SIMULATOR_PORT,
      latencyMs: this.integer('SIMULATOR_LATENCY_MS', 0),
      tokenDelayMs: this.integer('SIMULATOR_TOKEN_DELAY_MS', 0),
      apiKey: this.env.SIMULATOR_API_KEY || undefined,
      logRequests: this.boolean('SIMULATOR_LOG_REQUESTS'),
    };
    if (this.problems.length > 0) {
      throw new Error(`Invalid simulator environment: ${this.problems.join('; ')}`);
    }
    return options;
  }

  private integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const text = this.env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
    return undefined;
  }

  private boolean(name: string): boolean | undefined {
    const text = this.env[name];
    if (text === undefined || text === '') return undefined;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    this.problems.push(`${name} must be true or false, got "${text}"`);
    return undefined;
  }
}
