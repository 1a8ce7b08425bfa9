/**
 * CPU per request by stage of the request path, from a V8 .cpuprofile of the API process: each
 * sample goes to the stage of the innermost frame on its stack that is arkgate's or a library's
 * (Node's internals and the Redis client are looked through to their caller), so a JSON.stringify
 * called while building a span counts as span building and a socket read in undici as the
 * upstream client. Samples with only Node's frames go by Node's module (HTTP server or not).
 * Run: node -r ts-node/register/transpile-only bench/profile-stages.ts <file.cpuprofile> <requests>
 */
import { readProfile, relative, type ProfileNode, type ProfileWindow } from './profile-summary';

export const STAGES = [
  'HTTP and routing',
  'auth',
  'rate limit and budgets',
  'validation',
  'route handlers',
  'prompt resolution',
  'response cache',
  'span building',
  'upstream client',
  'response writing',
  'trace hand-off to the queue',
  'Redis client (rate limit and queue)',
  'logging and metrics',
  'garbage collection',
  'other',
] as const;

export type Stage = (typeof STAGES)[number];

export interface StageCost {
  stage: Stage;
  /** CPU microseconds per request. */
  usPerRequest: number;
  percent: number;
}

type Rule = [Stage, RegExp];

/** The stage of arkgate's files and of the libraries that do one stage's work, first match wins. */
const RULES: Rule[] = [
  ['rate limit and budgets', /^dist\/(auth\/(rate-limiter|.*rate-limit\.store|usage\.)|budgets\/)/],
  ['auth', /^dist\/auth\//],
  ['validation', /^dist\/common\/http\/|node_modules\/class-(validator|transformer)\//],
  ['prompt resolution', /^dist\/prompts\//],
  ['response cache', /^dist\/cache\//],
  ['span building', /^dist\/(tracing\/|llm\/(llm-span|traced-|.*stream\.aggregator))/],
  [
    'trace hand-off to the queue',
    /^dist\/(queue|jobs)\/|node_modules\/(bullmq|msgpackr|cron-parser)\//,
  ],
  [
    'logging and metrics',
    /^dist\/(logging|metrics)\/|node_modules\/(pino[^/]*|nestjs-pino|prom-client|sonic-boom|fast-redact|on-exit-leak-free|thread-stream)\//,
  ],
  [
    'response writing',
    /^dist\/common\/(sse|errors)\/|node_modules\/(fastify\/lib\/(reply|error|content-type)|fast-json-stringify|@fastify\/(error|fast-json-stringify-compiler))/,
  ],
  ['upstream client', /^dist\/(llm|routing)\/|node_modules\/(openai|undici|agentkeepalive)\//],
  ['route handlers', /^dist\/(openai-compat|chat|feedback|health)\//],
  ['HTTP and routing', /^dist\/|node_modules\//],
];

/** Looked through to whoever called them. */
const TRANSPARENT =
  /^node:|node_modules\/(ioredis|redis-parser|redis-errors|denque|standard-as-callback|cluster-key-slot|tslib|reflect-metadata)\//;
const REDIS = /node_modules\/(ioredis|redis-parser|denque)\//;

function ruleStage(url: string): Stage | undefined {
  for (const [stage, pattern] of RULES) if (pattern.test(url)) return stage;
  return undefined;
}

/** The stage of one sample, from its stack (leaf first). */
export function stageOf(stack: ProfileNode['callFrame'][]): Stage {
  if (stack[0]?.functionName === '(garbage collector)') return 'garbage collection';
  const urls = stack.map((frame) => relative(frame.url)).filter((url) => url !== '');
  const owner = urls.find((url) => !TRANSPARENT.test(url));
  if (owner) return ruleStage(owner) ?? 'other';
  if (urls.some((url) => REDIS.test(url))) return 'Redis client (rate limit and queue)';
  if (urls.some((url) => /^node:_http_outgoing/.test(url))) return 'response writing';
  if (urls.some((url) => /^node:_http_(server|common|incoming)/.test(url))) {
    return 'HTTP and routing';
  }
  return 'other';
}

/** Each stage's CPU per request inside `window`, `requests` having been answered in it. */
export function stageBudget(file: string, requests: number, window?: ProfileWindow): StageCost[] {
  const { byId, parent, timed } = readProfile(file, window);
  const byStage = new Map<Stage, number>();
  const cache = new Map<number, Stage>();
  let totalMs = 0;
  for (const { id, ms } of timed) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    let stage = cache.get(id);
    if (!stage) {
      const stack: ProfileNode['callFrame'][] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame) stack.push(frame);
      }
      stage = stageOf(stack);
      cache.set(id, stage);
    }
    byStage.set(stage, (byStage.get(stage) ?? 0) + ms);
    totalMs += ms;
  }
  return STAGES.map((stage) => {
    const ms = byStage.get(stage) ?? 0;
    return {
      stage,
      usPerRequest: (ms * 1000) / Math.max(1, requests),
      percent: (ms / Math.max(totalMs, 1e-9)) * 100,
    };
  });
}

if (require.main === module) {
  const [file, requests] = process.argv.slice(2);
  if (!file || !requests) {
    console.error('usage: profile-stages.ts <file.cpuprofile> <requests answered>');
    process.exit(2);
  }
  console.table(
    stageBudget(file, Number(requests)).map((row) => ({
      stage: row.stage,
      'CPU µs / request': row.usPerRequest.toFixed(0),
      '%': row.percent.toFixed(1),
    })),
  );
}
