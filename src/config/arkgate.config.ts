import type { ConfigType } from '@nestjs/config';
import { appConfig } from './app.config';
import { arkConfig } from './ark.config';
import { authConfig } from './auth.config';
import { cacheConfig } from './cache.config';
import type { ConfigNamespace, RawEnvironment } from './config-namespace';
import { validateEnv } from './env.validation';
import { exportConfig } from './export.config';
import { feedbackConfig } from './feedback.config';
import { limitsConfig } from './limits.config';
import { mlflowConfig } from './mlflow.config';
import { operationsConfig } from './operations.config';
import { playgroundConfig } from './playground.config';
import { promptsConfig } from './prompts.config';
import { tracingConfig } from './tracing.config';

/** Every slice, by the name the process injects it under. */
export const CONFIG_NAMESPACES = {
  app: appConfig,
  ark: arkConfig,
  tracing: tracingConfig,
  mlflow: mlflowConfig,
  export: exportConfig,
  prompts: promptsConfig,
  feedback: feedbackConfig,
  auth: authConfig,
  operations: operationsConfig,
  limits: limitsConfig,
  cache: cacheConfig,
  playground: playgroundConfig,
} satisfies Record<string, ConfigNamespace<unknown>>;

/** arkgate's whole configuration: what the entrypoints build once and hand to the modules. */
export type ArkgateConfig = {
  readonly [K in keyof typeof CONFIG_NAMESPACES]: ConfigType<(typeof CONFIG_NAMESPACES)[K]>;
};

/**
 * Validates `raw` once (one error naming every bad variable) and builds every slice from it. The
 * entrypoints pass `process.env`; tests pass the variables they want, without touching it.
 */
export function loadConfig(raw: RawEnvironment): ArkgateConfig {
  const env = validateEnv(raw);
  const snapshot: RawEnvironment = Object.freeze({ ...raw });
  return Object.fromEntries(
    Object.entries(CONFIG_NAMESPACES).map(([name, build]) => [name, build(env, snapshot)]),
  ) as ArkgateConfig;
}
