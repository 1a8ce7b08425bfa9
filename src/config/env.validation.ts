import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment-variables.model';
import { readRedisTopology } from './redis-topology';

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
    return `  ${error.property}=${JSON.stringify(raw[error.property] ?? null)}: ${reasons}`;
  });
  // Settings that only make sense together, checked once each one is valid on its own.
  if (lines.length === 0) {
    for (const { variable, reason } of readRedisTopology(env).problems) {
      // A Redis URL may carry a password: named, never printed.
      const values = variable
        .split(', ')
        .map((name) =>
          name === 'REDIS_URL' ? name : `${name}=${JSON.stringify(raw[name] ?? null)}`,
        );
      lines.push(`  ${values.join(', ')}: ${reason}`);
    }
  }
  if (lines.length > 0) {
    throw new Error(`Invalid configuration (${lines.length} variable(s)):\n${lines.join('\n')}`);
  }
  return env;
}
