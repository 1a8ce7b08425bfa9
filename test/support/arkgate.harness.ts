import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/arkgate.config';
import type { EnvironmentVariables } from '../../src/config/environment-variables.model';
import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.model';

/** The ModelArk key arkgate is given, and the one the simulator insists on. */
export const HARNESS_ARK_API_KEY = 'sk-arkgate-test';

/** Variables arkgate reads; `undefined` leaves one unset. */
export type ArkgateEnv = Partial<Record<keyof EnvironmentVariables, string | undefined>>;

export interface ArkgateHarnessOptions {
  /** On top of the harness defaults (simulator as upstream, silent logs, tracing off, no retries, auth off). */
  env?: ArkgateEnv;
  /** The simulator's options; it requires {@link HARNESS_ARK_API_KEY} unless told otherwise. */
  simulator?: Partial<SimulatorOptions>;
}

export interface ArkgateHarness {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  simulator: ModelArkSimulator;
  /** The arkgate variables the app was built with. */
  env: Readonly<Record<string, string>>;
  /**
   * Closes the simulator first (which also ends any upstream call still hanging, so arkgate has no
   * request left in flight), then arkgate with its shutdown hooks. Safe to call twice.
   */
  close(): Promise<void>;
}

const REALM_SAFE = Symbol.for('arkgate.test.realmSafeFetch');

/**
 * Jest runs each test file in its own realm, but Node's `fetch` rejects with errors of the main
 * realm, which fail `instanceof Error` here. The OpenAI SDK then turns them into `Error('{}')` and
 * loses the `AbortError` name it detects its own timeout by, so ARK_TIMEOUT_MS would surface as a
 * connection error (502) instead of a timeout (504). Production runs in one realm; this makes the
 * tests run like it by re-creating such errors in this realm with their name, message and cause.
 */
function installRealmSafeFetch(): void {
  const current = globalThis.fetch as typeof fetch & { [REALM_SAFE]?: true };
  if (current[REALM_SAFE]) return;
  const realmSafe = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    try {
      return await current(input, init);
    } catch (error) {
      if (error instanceof Error || typeof error !== 'object' || error === null) throw error;
      const { name, message, cause } = error as Error;
      const local = new Error(message, { cause });
      local.name = name;
      throw local;
    }
  };
  globalThis.fetch = Object.assign(realmSafe, { [REALM_SAFE]: true as const });
}

/**
 * Starts a ModelArk simulator and arkgate in front of it, both on free loopback ports, arkgate
 * built by `createApp()` exactly as `main.ts` serves it, from a configuration of exactly the
 * harness defaults and `options.env` (`process.env` is neither read nor written, so a developer's
 * shell cannot leak in and several harnesses can live in one test file).
 */
export async function startArkgate(options: ArkgateHarnessOptions = {}): Promise<ArkgateHarness> {
  installRealmSafeFetch();
  const simulator = await ModelArkSimulator.start({
    apiKey: HARNESS_ARK_API_KEY,
    ...options.simulator,
  });
  const merged: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TRACING_ENABLED: 'false',
    ARK_API_KEY: HARNESS_ARK_API_KEY,
    ARK_BASE_URL: simulator.url,
    ARK_MAX_RETRIES: '0',
    // Most specs call without keys; the auth specs turn it on with GATEWAY_AUTH: 'on'.
    GATEWAY_AUTH: 'off',
    ...options.env,
  };
  // A spool of its own unless the spec brings one (to find it again after a restart).
  const ownSpool = merged.EXPORT_SPOOL_DIR === undefined;
  if (ownSpool) merged.EXPORT_SPOOL_DIR = mkdtempSync(join(tmpdir(), 'arkgate-spool-'));
  const env = Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

  let app: NestFastifyApplication;
  try {
    app = await createApp(loadConfig(env));
    try {
      await app.listen(0, '127.0.0.1');
    } catch (error) {
      await app.close();
      throw error;
    }
  } catch (error) {
    await simulator.close();
    if (ownSpool) rmSync(env.EXPORT_SPOOL_DIR, { recursive: true, force: true });
    throw error;
  }

  const url = (await app.getUrl()).replace(/\/$/, '');
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    simulator,
    env,
    close: () =>
      (closing ??= (async () => {
        try {
          await simulator.close();
        } finally {
          await app.close();
          if (ownSpool) rmSync(env.EXPORT_SPOOL_DIR, { recursive: true, force: true });
        }
      })()),
  };
}
