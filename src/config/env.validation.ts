import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment-variables.model';

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
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      return `  ${error.property}=${JSON.stringify(raw[error.property] ?? null)}: ${reasons}`;
    });
    throw new Error(`Invalid configuration (${errors.length} variable(s)):\n${lines.join('\n')}`);
  }
  return env;
}
