import type { EnvironmentVariables } from './environment-variables.model';

/** The variables as the process got them (for what a setting names, e.g. a routes file's apiKeyEnv). */
export type RawEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * One typed slice of the configuration, built from the environment validated once
 * ({@link loadConfig}) and injected under `KEY` (`@Inject(xConfig.KEY) config: ConfigType<typeof
 * xConfig>`). Calling it builds the slice; only {@link loadConfig} does that.
 */
export interface ConfigNamespace<T> {
  (env: EnvironmentVariables, raw: RawEnvironment): T;
  readonly KEY: string;
}

export function configNamespace<T>(
  name: string,
  build: (env: EnvironmentVariables, raw: RawEnvironment) => T,
): ConfigNamespace<T> {
  return Object.assign((env: EnvironmentVariables, raw: RawEnvironment) => build(env, raw), {
    KEY: `CONFIGURATION(${name})`,
  });
}
