import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import { DIST_DIR, REPO_ROOT } from '../config';
import type { InstructionsResult } from '../report/results.model';
import { type CallgrindChild, startUnderCallgrind } from '../support/callgrind';
import { freePort, waitForHttp } from '../support/http';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { arkgateEnv } from '../targets/arkgate.target';
import { BARE_PROXY_READY, bareProxyCommand } from '../targets/bare-proxy.target';
import { ExportQueue } from '../targets/export-queue';
import { CHAT_BODY } from './request-bodies';

export interface InstructionsSetup {
  upstreamBaseUrl: string;
  /** A queue of the scenario's own: arkgate-on's traces wait there, nobody exports them. */
  redisUrl: string;
}

interface Started {
  callgrind: CallgrindChild;
  chatUrl: string;
}

/** Startup under valgrind is slow: the API takes minutes to compile its modules. */
const START_TIMEOUT_MS = 15 * 60_000;

/** Resolves once `ready` does; stops the process (and its dump directory) if it never gets there. */
async function started(callgrind: CallgrindChild, ready: Promise<string>): Promise<Started> {
  try {
    return { callgrind, chatUrl: await ready };
  } catch (error) {
    await callgrind.stop();
    throw error;
  }
}

async function startBare(upstreamBaseUrl: string): Promise<Started> {
  const { command, args, options } = bareProxyCommand(upstreamBaseUrl);
  const callgrind = startUnderCallgrind('instructions-bare', command, args, options);
  const ready = callgrind.child
    .waitForLine(BARE_PROXY_READY, START_TIMEOUT_MS)
    .then(([, port]) => `http://127.0.0.1:${port}/v1/chat/completions`);
  return started(callgrind, ready);
}

async function startArkgateUnderCallgrind(
  setup: InstructionsSetup,
  config: BenchConfig,
  tracing: boolean,
): Promise<Started> {
  const port = await freePort();
  const env = {
    ...arkgateEnv({
      arkBaseUrl: setup.upstreamBaseUrl,
      tracing,
      worker: false,
      redisUrl: setup.redisUrl,
      mlflowUri: 'http://127.0.0.1:9',
      experimentName: 'bench-instructions',
      exportConcurrency: 1,
    }),
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  const callgrind = startUnderCallgrind(
    `instructions-arkgate-${tracing ? 'on' : 'off'}`,
    process.execPath,
    [...config.arkgateNodeArgs, join(DIST_DIR, 'main.js')],
    { cwd: REPO_ROOT, env },
  );
  const ready = waitForHttp(
    `http://127.0.0.1:${port}/health/live`,
    'arkgate under callgrind',
    START_TIMEOUT_MS,
    () => callgrind.child.child.exitCode === null,
  ).then(() => `http://127.0.0.1:${port}/v1/chat/completions`);
  return started(callgrind, ready);
}

/** Warm-up (the JIT settles), then the instructions of exactly `requests` answers. */
async function measure(name: string, started: Started, config: BenchConfig) {
  const { callgrind, chatUrl } = started;
  try {
    const connections = config.instructionsConnections;
    log(`instructions: ${name} warm-up, ${config.instructionsWarmup} requests`);
    await runLoad({
      url: chatUrl,
      body: CHAT_BODY,
      connections,
      amount: config.instructionsWarmup,
    });
    await callgrind.zero();
    const load = await runLoad({
      url: chatUrl,
      body: CHAT_BODY,
      connections,
      amount: config.instructionsRequests,
    });
    const instructions = await callgrind.instructions();
    const answers = load.requests;
    log(
      `instructions: ${name} ${(instructions / Math.max(answers, 1) / 1000).toFixed(0)}k per answer`,
    );
    return {
      target: name,
      answers,
      failed: load.errors + load.non2xx + load.timeouts,
      instructionsPerRequest: instructions / Math.max(answers, 1),
      seconds: load.seconds,
    };
  } finally {
    await callgrind.stop();
  }
}

/**
 * User-space instructions per chat completion (valgrind's callgrind, every thread of the process)
 * of the bare proxy, arkgate without tracing and arkgate with tracing (its traces queued in Redis).
 * Work done once per request counts the same whatever else the machine runs, so it shows cuts of
 * a few percent that CPU A/B runs on a shared machine cannot; work done by the clock or per
 * event-loop turn follows the run's wall time. It leaves out the kernel's work (socket reads and
 * writes) and says nothing of cache misses.
 */
export async function runInstructionsScenario(
  setup: InstructionsSetup,
  config: BenchConfig,
): Promise<InstructionsResult> {
  // Fails here, as this scenario alone, on a machine without valgrind.
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  const queue = new ExportQueue(setup.redisUrl);
  try {
    return await measureAll(setup, config);
  } finally {
    // The traces arkgate-on-queued left must not reach the next scenario's worker.
    await queue.clear().catch(() => undefined);
    await queue.close();
  }
}

async function measureAll(
  setup: InstructionsSetup,
  config: BenchConfig,
): Promise<InstructionsResult> {
  const rows = [];
  rows.push(await measure('bare', await startBare(setup.upstreamBaseUrl), config));
  rows.push(
    await measure('arkgate-off', await startArkgateUnderCallgrind(setup, config, false), config),
  );
  rows.push(
    await measure(
      'arkgate-on-queued',
      await startArkgateUnderCallgrind(setup, config, true),
      config,
    ),
  );
  return {
    warmup: config.instructionsWarmup,
    connections: config.instructionsConnections,
    rows,
  };
}
