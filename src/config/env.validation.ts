import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { maskUrlCredentials } from '../common/http/url-credentials';
import { EnvironmentVariables } from './environment-variables.model';
import { readRedisTopology } from './redis-topology';

/** Secrets that must never reach a log, even when the variable holding them is wrong. */
const SECRET_VARIABLES = /(PASSWORD|TOKEN|SECRET|API_KEY|API_KEYS)$/;

/** The value as a boot error may show it: credentials in a URL masked, secrets not at all. */
function shown(name: string, value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (SECRET_VARIABLES.test(name)) return '"(hidden)"';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(maskUrlCredentials(text));
}

/**
 * Parses and validates the environment once; throws one error that names every bad variable.
 * Defaults live on {@link EnvironmentVariables}.
 */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = plainToInstance(EnvironmentVariables, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  const lines = errors.map((error) => {
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    return `  ${error.property}=${shown(error.property, raw[error.property])}: ${reasons}`;
  });
  // Settings that only make sense together, checked once each one is valid on its own.
  if (lines.length === 0) {
    for (const { variable, reason } of readRedisTopology(env).problems) {
      const values = variable.split(', ').map((name) => `${name}=${shown(name, raw[name])}`);
      lines.push(`  ${values.join(', ')}: ${reason}`);
    }
  }
  if (lines.length > 0) {
    throw new Error(`Invalid configuration (${lines.length} variable(s)):\n${lines.join('\n')}`);
  }
  return env;
}
