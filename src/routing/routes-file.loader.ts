import type { RawEnvironment } from '../config/config-namespace';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ZodError } from 'zod';
import type { ModelRoute, RouteTable, RouteTarget } from './model-route.model';
import { type FailureKind, type RoutesFile, routesFileSchema } from './routes-file.schema';

/** Falls back on everything a retry can cure: not on what the request itself got wrong. */
const DEFAULT_FALLBACK_ON: FailureKind[] = [
  'rate_limit',
  'server_error',
  'timeout',
  'connection',
  'auth',
];

export interface RouteDefaults {
  baseUrl: string;
  /** ARK_API_KEY; a target without `apiKeyEnv` uses it. */
  apiKey?: string;
  /** ARK_MAX_RETRIES: the retries of a route with one target. */
  maxRetries: number;
}

/** A routes file that cannot be used, naming the file, the path in it and the reason. */
export class RoutesFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`ROUTES_FILE ${file}: ${problems.join('; ')}`);
    this.name = 'RoutesFileError';
  }
}

/** `models["chat-default"].targets[1].weight`, as the problem's place in the file. */
function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_][\w]*$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

function describe(error: ZodError): string[] {
  return error.issues.map((issue) => `${pathOf(issue.path) || '(top level)'}: ${issue.message}`);
}

/** Reads, validates and resolves a routes file (YAML, or JSON, which YAML reads too). */
export function loadRoutesFile(
  file: string,
  defaults: RouteDefaults,
  env: RawEnvironment,
): RouteTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RoutesFileError(file, [`cannot be read (${(error as Error).message})`]);
  }
  let raw: unknown;
  try {
    // Duplicate keys (an alias twice) are an error, not a silent override.
    raw = parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    throw new RoutesFileError(file, [`is not valid YAML or JSON: ${(error as Error).message}`]);
  }
  const parsed = routesFileSchema.safeParse(raw);
  if (!parsed.success) throw new RoutesFileError(file, describe(parsed.error));
  return resolveRoutes(file, parsed.data, defaults, env);
}

function resolveRoutes(
  file: string,
  routesFile: RoutesFile,
  defaults: RouteDefaults,
  env: NodeJS.ProcessEnv,
): RouteTable {
  const problems: string[] = [];
  const ids = new Set<string>();
  const routes = new Map<string, ModelRoute>();
  for (const [alias, route] of Object.entries(routesFile.models)) {
    const targets: RouteTarget[] = (route.targets ?? []).map((target, index) => {
      const where = `${pathOf(['models', alias, 'targets', index])}`;
      const baseUrl = (target.baseUrl ?? defaults.baseUrl).replace(/\/+$/, '');
      const apiKey = target.apiKeyEnv ? env[target.apiKeyEnv] : defaults.apiKey;
      if (!apiKey) {
        problems.push(
          target.apiKeyEnv
            ? `${where}.apiKeyEnv: ${target.apiKeyEnv} is not set`
            : `${where}: no apiKeyEnv and ARK_API_KEY is not set`,
        );
      }
      const host = new URL(baseUrl).host;
      const id = target.name ?? `${target.model}@${host}`;
      if (ids.has(id)) {
        problems.push(`${where}: another target is also named "${id}"; give one a name`);
      }
      ids.add(id);
      return {
        id,
        model: target.model,
        baseUrl,
        host,
        apiKey: apiKey ?? '',
        weight: target.weight,
        priority: target.priority,
        price: target.price ?? route.price,
      };
    });
    routes.set(alias, {
      alias,
      targets,
      retries: route.retries ?? (targets.length > 1 ? 0 : defaults.maxRetries),
      fallbackOn: new Set(route.fallbackOn ?? routesFile.fallbackOn ?? DEFAULT_FALLBACK_ON),
      price: route.price,
    });
  }
  if (problems.length > 0) throw new RoutesFileError(file, problems);
  const breaker = routesFile.breaker ?? { failures: 5, cooldownSeconds: 30 };
  return {
    routes,
    breaker: { failures: breaker.failures, cooldownMs: breaker.cooldownSeconds * 1000 },
    budgets: new Map(Object.entries(routesFile.budgets ?? {})),
  };
}
