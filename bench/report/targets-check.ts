import type { BenchResults, LatencyCell } from './results.model';

export interface TargetCheck {
  target: string;
  measured: string;
  /** undefined: not measured in this run. */
  met?: boolean;
}

const PRIMARY_UPSTREAM_MS = 20;
const f = (value: number, digits = 2) => value.toFixed(digits);

function cell(results: BenchResults, target: string, connections: number): LatencyCell | undefined {
  return results.latency?.find(
    (row) =>
      row.target === target &&
      row.connections === connections &&
      row.upstreamLatencyMs === PRIMARY_UPSTREAM_MS,
  );
}

/** The issue's targets, each marked met / missed / not measured from this run's numbers. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];

  const levels = [1, 8, 32].filter(
    (c) => cell(results, 'arkgate-on', c) && cell(results, 'bare', c),
  );
  const diffs = levels.map((c) => ({
    c,
    diff:
      (cell(results, 'arkgate-on', c)?.addedMeanMs ?? NaN) -
      (cell(results, 'bare', c)?.addedMeanMs ?? NaN),
  }));
  const queuedDiffs = levels.map(
    (c) =>
      (cell(results, 'arkgate-on-queued', c)?.addedMeanMs ?? NaN) -
      (cell(results, 'bare', c)?.addedMeanMs ?? NaN),
  );
  checks.push({
    target:
      'added mean latency, tracing on, within 1 ms of the bare hop at 1–32 clients (20 ms upstream)',
    measured:
      (diffs.map(({ c, diff }) => `${c}: +${f(diff)} ms`).join(', ') || 'n/a') +
      (queuedDiffs.some((d) => !Number.isNaN(d))
        ? ` (export paused: ${queuedDiffs.map((d) => `+${f(d)}`).join(', ')} ms)`
        : ''),
    met: diffs.length ? diffs.every(({ diff }) => diff <= 1) : undefined,
  });

  const timingOf = (target: string) =>
    results.serverTiming?.find(
      (row) =>
        row.target === target &&
        row.connections === 32 &&
        row.upstreamLatencyMs === PRIMARY_UPSTREAM_MS,
    );
  const timing = timingOf('arkgate-on');
  const queuedTiming = timingOf('arkgate-on-queued')?.overhead;
  checks.push({
    target: "arkgate's own server time (Server-Timing) p50 < 0.3 ms, p99 < 1 ms at 32 clients",
    measured:
      (timing?.overhead
        ? `p50 ${f(timing.overhead.p50)} ms, p99 ${f(timing.overhead.p99)} ms`
        : 'n/a') +
      (queuedTiming
        ? ` (export paused: p50 ${f(queuedTiming.p50)}, p99 ${f(queuedTiming.p99)} ms)`
        : ''),
    met: timing?.overhead ? timing.overhead.p50 < 0.3 && timing.overhead.p99 < 1 : undefined,
  });

  const on = cell(results, 'arkgate-on', 128);
  const off = cell(results, 'arkgate-off', 128);
  const bare = cell(results, 'bare', 128);
  const portkey = cell(results, 'portkey', 128);
  const queued = cell(results, 'arkgate-on-queued', 128);
  const pausedNote = (base: number) =>
    queued ? `; export paused: ${f((queued.requestsPerSecond / base) * 100, 0)} %` : '';
  if (on && off && bare && portkey) {
    const ofBare = on.requestsPerSecond / bare.requestsPerSecond;
    const ofPortkey = on.requestsPerSecond / portkey.requestsPerSecond;
    const ofOff = on.requestsPerSecond / off.requestsPerSecond;
    checks.push({
      target: 'throughput at 128 clients, tracing on ≥ ½ bare hop',
      measured: `${f(ofBare * 100, 0)} % (${f(on.requestsPerSecond, 0)} vs ${f(bare.requestsPerSecond, 0)} req/s${pausedNote(bare.requestsPerSecond)})`,
      met: ofBare >= 0.5,
    });
    checks.push({
      target: 'throughput at 128 clients, tracing on ≥ 1.3× Portkey',
      measured: `${f(ofPortkey)}× (${f(portkey.requestsPerSecond, 0)} req/s${queued ? `; export paused: ${f(queued.requestsPerSecond / portkey.requestsPerSecond)}×` : ''})`,
      met: ofPortkey >= 1.3,
    });
    checks.push({
      target: 'throughput at 128 clients, tracing on ≥ 85 % of tracing off',
      measured: `${f(ofOff * 100, 0)} % (${f(off.requestsPerSecond, 0)} req/s off${pausedNote(off.requestsPerSecond)})`,
      met: ofOff >= 0.85,
    });
  } else {
    checks.push({ target: 'throughput at 128 clients', measured: 'n/a' });
  }

  const streamOn = results.streaming?.find((row) => row.target === 'arkgate-on');
  const streamBare = results.streaming?.find((row) => row.target === 'bare');
  const ttftDiff =
    streamOn && streamBare ? streamOn.ttftMs.mean - streamBare.ttftMs.mean : undefined;
  checks.push({
    target: 'streaming TTFT within 1 ms of the bare hop',
    measured: ttftDiff === undefined ? 'n/a' : `+${f(ttftDiff)} ms`,
    met: ttftDiff === undefined ? undefined : ttftDiff <= 1,
  });

  const lag = results.queueLag;
  checks.push({
    target: 'export keeps up with serving at the measured peak',
    measured: lag
      ? `served ${f(lag.servedPerSecond, 0)}/s, backlog grew ${f(lag.backlogGrowthPerSecond, 1)}/s (${lag.backlogStart} → ${lag.backlogEnd})`
      : 'n/a',
    met: lag ? lag.backlogGrowthPerSecond <= 0.01 * lag.servedPerSecond : undefined,
  });
  for (const exp of results.exports ?? []) {
    const complete = exp.inMlflow === exp.backlog - exp.failed;
    const found = `${exp.inMlflow}/${exp.backlog} found in MLflow`;
    checks.push({
      target: `export drain ≥ 5× the plain one-trace-per-request loop (${exp.backend})`,
      measured: `${f(exp.ofPlainLoop, 1)}× (${f(exp.tracesPerSecond, 1)} vs ${f(exp.plainLoop.tracesPerSecond, 1)} traces/s; ${found})`,
      met: exp.ofPlainLoop >= 5 && complete,
    });
    checks.push({
      target: `export drain ≥ 80 % of MLflow's batched ceiling (${exp.backend})`,
      measured: `${f(exp.ofBatchedCeiling * 100, 0)} % (${f(exp.tracesPerSecond, 1)} vs ${f(exp.batchedCeiling.tracesPerSecond, 1)} traces/s)`,
      met: exp.ofBatchedCeiling >= 0.8 && complete,
    });
  }

  const memory = results.memory;
  checks.push({
    target: 'RSS < 200 MB at 256 concurrent streams, default settings',
    measured: memory
      ? `${f(memory.streams.maxMb, 1)} MB (${memory.streams.completed}/${memory.streams.open} streams ok)`
      : 'n/a',
    met: memory
      ? memory.streams.maxMb < 200 && memory.streams.completed === memory.streams.open
      : undefined,
  });
  checks.push({
    target: 'RSS flat after 100k requests (second-half slope ≤ 1 MB per 10k requests)',
    measured: memory
      ? `${f(memory.slopeMbPer10k)} MB/10k over ${memory.requests.total} requests, end ${f(memory.requests.endMb, 1)} MB`
      : 'n/a',
    met: memory && memory.requests.total >= 100_000 ? memory.slopeMbPer10k <= 1 : undefined,
  });
  return checks;
}
