import type { BenchConfig } from '../config';
import type { LatencyCell, ServerTimingResult } from '../report/results.model';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { ServerTimingSampler } from '../support/server-timing';
import { summarize } from '../support/stats';
import type { ChatTarget } from '../targets/target.model';
import type { ExportQueue } from '../targets/export-queue';
import { CHAT_BODY } from './request-bodies';

/** All targets in front of one simulator (one upstream latency). */
export interface ServingSet {
  upstreamLatencyMs: number;
  targets: ChatTarget[];
}

export interface LatencyScenarioResult {
  cells: LatencyCell[];
  serverTiming: ServerTimingResult[];
}

const SERVER_TIMING_CONNECTIONS = 32;
const SERVER_TIMING_TARGETS = new Set(['arkgate-on', 'arkgate-on-queued', 'arkgate-off']);

/** `items` rotated left by `by`, so each round and level starts with a different target. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Non-streaming chat at each concurrency, every target measured back to back per level and in a
 * rotating order, so machine drift hits them alike. The export queue runs only while arkgate with
 * tracing is measured: its backlog then keeps the worker (and MLflow) busy during exactly those cells.
 */
export async function runLatencyScenario(
  sets: ServingSet[],
  config: BenchConfig,
  queue: ExportQueue,
  /** Makes sure the export worker runs before a tracing-on cell (restarts it if it died). */
  ensureWorker: () => Promise<void> = async () => undefined,
): Promise<LatencyScenarioResult> {
  const setQueue = async (target: ChatTarget) => {
    await target.ensureAlive?.();
    if (target.name !== 'arkgate-on') return queue.pause();
    await ensureWorker();
    await queue.resume();
  };
  try {
    return await measure(sets, config, setQueue);
  } finally {
    await queue.resume();
  }
}

async function measure(
  sets: ServingSet[],
  config: BenchConfig,
  setQueue: (target: ChatTarget) => Promise<void>,
): Promise<LatencyScenarioResult> {
  const cells: LatencyCell[] = [];
  const serverTiming: ServerTimingResult[] = [];
  for (const set of sets) {
    for (const target of set.targets) {
      log(`warm-up ${target.name} (upstream ${set.upstreamLatencyMs} ms)`);
      await setQueue(target);
      await load(target, 32, config.warmupS);
    }
    for (const [level, connections] of config.connections.entries()) {
      const latencies = new Map<string, number[]>();
      const totals = new Map<string, { requests: number; seconds: number; errors: number }>();
      const samplers = new Map<string, ServerTimingSampler>();
      for (let round = 0; round < config.rounds; round += 1) {
        for (const target of rotate(set.targets, round + level)) {
          await setQueue(target);
          const sampler =
            connections === SERVER_TIMING_CONNECTIONS && SERVER_TIMING_TARGETS.has(target.name)
              ? (samplers.get(target.name) ?? new ServerTimingSampler())
              : undefined;
          if (sampler) samplers.set(target.name, sampler);
          let result = await load(target, connections, config.durationS, sampler);
          if (await target.ensureAlive?.()) {
            log(`${target.name} died during its cell and was restarted: measuring the cell again`);
            await load(target, 32, config.warmupS);
            result = await load(target, connections, config.durationS, sampler);
          }
          latencies.set(target.name, [
            ...(latencies.get(target.name) ?? []),
            ...(result.latencies ?? []),
          ]);
          const total = totals.get(target.name) ?? { requests: 0, seconds: 0, errors: 0 };
          total.requests += result.requests;
          total.seconds += result.seconds;
          total.errors += result.errors + result.non2xx + result.timeouts;
          totals.set(target.name, total);
          log(
            `upstream ${set.upstreamLatencyMs} ms, ${connections} conn, ${target.name}: ` +
              `${Math.round(result.requestsPerSecond)} req/s, mean ${result.latency.mean.toFixed(2)} ms`,
          );
        }
      }
      const levelCells = set.targets.map((target): LatencyCell => {
        const summary = summarize(latencies.get(target.name) ?? []);
        const total = totals.get(target.name) ?? { requests: 0, seconds: 1, errors: 0 };
        return {
          upstreamLatencyMs: set.upstreamLatencyMs,
          connections,
          target: target.name,
          requestsPerSecond: total.requests / total.seconds,
          meanMs: summary.mean,
          p50Ms: summary.p50,
          p99Ms: summary.p99,
          requests: total.requests,
          errors: total.errors,
        };
      });
      const direct = levelCells.find((cell) => cell.target === 'direct');
      for (const cell of levelCells) if (direct) cell.addedMeanMs = cell.meanMs - direct.meanMs;
      cells.push(...levelCells);
      for (const [target, sampler] of samplers) {
        serverTiming.push({
          target,
          upstreamLatencyMs: set.upstreamLatencyMs,
          connections,
          samples: sampler.overheadMs.length,
          missing: sampler.missing,
          overhead: sampler.overheadMs.length ? summarize(sampler.overheadMs) : undefined,
        });
      }
    }
  }
  return { cells, serverTiming };
}

function load(
  target: ChatTarget,
  connections: number,
  durationS: number,
  sampler?: ServerTimingSampler,
) {
  return runLoad({
    url: target.chatUrl,
    headers: target.headers,
    body: CHAT_BODY,
    connections,
    durationS,
    keepLatencies: true,
    onHeaders: sampler?.onHeaders,
  });
}
