import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { EnvironmentVariables } from '../../src/config/environment-variables.model';
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

/** Every variable arkgate reads, so a developer's shell (a real ARK_API_KEY, a REDIS_URL) cannot leak in. */
const ARKGATE_VARIABLES = Object.keys(new EnvironmentVariables());

/** The tail of the queue of harnesses being built: process.env is theirs one at a time. */
let building: Promise<unknown> = Promise.resolve();

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

/** Runs `build` with exactly `env` as arkgate's variables, one build at a time, then puts them back. */
async function withEnv<T>(env: Record<string, string>, build: () => Promise<T>): Promise<T> {
  const turn = building.then(async () => {
    const names = new Set([...ARKGATE_VARIABLES, ...Object.keys(env)]);
    const saved = Object.fromEntries([...names].map((name) => [name, process.env[name]]));
    for (const name of names) delete process.env[name];
    Object.assign(process.env, env);
    try {
      return await build();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
  building = turn.catch(() => undefined);
  return turn;
}

/**
 * Starts a ModelArk simulator and arkgate in front of it, both on free loopback ports, arkgate
 * built by `createApp()` exactly as `main.ts` serves it. Config is read from `process.env` while
 * the app is built and listening; the previous values are restored right after, so several
 * harnesses with different variables can live in one test file.
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
    app = await withEnv(env, async () => {
      const created = await createApp();
      try {
        await created.listen(0, '127.0.0.1');
      } catch (error) {
        await created.close();
        throw error;
      }
      return created;
    });
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
