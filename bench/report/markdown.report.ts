import { relative } from 'node:path';
import { REPO_ROOT } from '../config';
import type { BenchResults } from './results.model';
import { instructionsSection } from './instructions.report';
import { table } from './markdown.table';
import { checkTargets } from './targets-check';

const f = (value: number | undefined, digits = 2) =>
  value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
const int = (value: number) => Math.round(value).toLocaleString('en-US');

function latencySection(results: BenchResults): string[] {
  const cells = results.latency ?? [];
  if (!cells.length) return [];
  const out = ['## 1. Non-streaming chat (`POST /v1/chat/completions`)', ''];
  const upstreams = [...new Set(cells.map((cell) => cell.upstreamLatencyMs))];
  for (const upstream of upstreams) {
    const rows = cells.filter((cell) => cell.upstreamLatencyMs === upstream);
    out.push(`### Upstream latency ${upstream} ms`, '');
    out.push(
      table(
        ['clients', 'target', 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'added mean ms', 'errors'],
        rows.map((cell) => [
          String(cell.connections),
          cell.target,
          int(cell.requestsPerSecond),
          f(cell.meanMs),
          f(cell.p50Ms),
          f(cell.p99Ms),
          cell.target === 'direct' ? '—' : f(cell.addedMeanMs),
          String(cell.errors),
        ]),
        ['---:', '---', '---:', '---:', '---:', '---:', '---:', '---:'],
      ),
      '',
    );
    const targets = [...new Set(rows.map((cell) => cell.target))].filter((t) => t !== 'direct');
    const levels = [...new Set(rows.map((cell) => cell.connections))];
    out.push(`Added mean latency over direct (ms), upstream ${upstream} ms:`, '');
    out.push(
      table(
        ['target', ...levels.map((c) => `${c} clients`)],
        targets.map((target) => [
          target,
          ...levels.map((c) =>
            f(rows.find((cell) => cell.target === target && cell.connections === c)?.addedMeanMs),
          ),
        ]),
      ),
      '',
    );
  }
  return out;
}

function serverTimingSection(results: BenchResults): string[] {
  const rows = results.serverTiming ?? [];
  if (!rows.length) return [];
  return [
    "## 2. arkgate's own time per request (`Server-Timing`: total − upstream)",
    '',
    table(
      ['target', 'upstream ms', 'clients', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms'],
      rows.map((row) => [
        row.target,
        String(row.upstreamLatencyMs),
        String(row.connections),
        row.overhead ? String(row.samples) : `n/a (header absent on ${row.missing})`,
        f(row.overhead?.p50, 3),
        f(row.overhead?.p90, 3),
        f(row.overhead?.p99, 3),
        f(row.overhead?.mean, 3),
      ]),
    ),
    '',
  ];
}

function streamingSection(results: BenchResults): string[] {
  const rows = results.streaming ?? [];
  if (!rows.length) return [];
  return [
    '## 3. Streaming',
    '',
    table(
      [
        'target',
        'streams',
        'TTFT mean ms',
        'TTFT p99 ms',
        'added TTFT ms',
        'last token mean ms',
        'max gap ms',
        'spread ms',
        'gaps < 1 ms',
        'tokens',
      ],
      rows.map((row) => [
        row.target,
        String(row.samples),
        f(row.ttftMs.mean),
        f(row.ttftMs.p99),
        row.target === 'direct' ? '—' : f(row.addedTtftMs),
        f(row.lastTokenMs.mean, 1),
        f(row.meanMaxGapMs),
        f(row.meanSpreadMs, 1),
        `${f(row.burstShare * 100, 1)} %`,
        f(row.tokensPerStream, 0),
      ]),
    ),
    '',
    '"max gap": mean over streams of the largest gap between two token chunks; "spread": first to last',
    'token chunk. Unbuffered relaying keeps both close to direct\'s, and "gaps < 1 ms" (chunks',
    "arriving together) near direct's.",
    '',
  ];
}

function exportSection(results: BenchResults): string[] {
  const out: string[] = [];
  const exports = results.exports ?? [];
  if (exports.length > 0) {
    const rate = (r: { tracesPerSecond: number; perRequest: number; concurrency: number }) =>
      `${f(r.tracesPerSecond, 1)} traces/s (${r.perRequest}/request, ${r.concurrency} at a time)`;
    out.push(
      '## 4. Export to MLflow',
      '',
      'Each backend store on its own `mlflow server` with its default workers. The loops send ' +
        "arkgate's own OTLP encoding of the same traces, half before the worker's drain and half " +
        'after it.',
      '',
      table(
        ['measure', ...exports.map((exp) => exp.backend)],
        [
          ['backlog', ...exports.map((exp) => int(exp.backlog))],
          ['worker', ...exports.map((exp) => exp.workerMode)],
          ['drain time', ...exports.map((exp) => `${f(exp.drainSeconds, 1)} s`)],
          ['worker rate', ...exports.map((exp) => `${f(exp.tracesPerSecond, 1)} traces/s`)],
          ['traces found in MLflow', ...exports.map((exp) => int(exp.inMlflow))],
          ['failed jobs', ...exports.map((exp) => String(exp.failed))],
          ['plain loop (one OTLP request per trace)', ...exports.map((exp) => rate(exp.plainLoop))],
          ["MLflow's batched ceiling", ...exports.map((exp) => rate(exp.batchedCeiling))],
          ['worker / plain loop', ...exports.map((exp) => `${f(exp.ofPlainLoop, 1)}×`)],
          [
            'worker / batched ceiling',
            ...exports.map((exp) => `${f(exp.ofBatchedCeiling * 100, 0)} %`),
          ],
        ],
        ['---', ...exports.map(() => '---:')],
      ),
      '',
    );
  }
  const lag = results.queueLag;
  if (lag) {
    out.push(
      `### Queue lag under load (${lag.connections} clients, ${f(lag.seconds, 0)} s, worker as its own process, MLflow on SQLite with 1 server worker)`,
      '',
      table(
        ['measure', 'value'],
        [
          ['served', `${f(lag.servedPerSecond, 0)} req/s`],
          ['exported (worker metric)', `${f(lag.exportedPerSecond, 0)} traces/s`],
          [
            'backlog start → max → end',
            `${lag.backlogStart} → ${lag.backlogMax} → ${lag.backlogEnd}`,
          ],
          ['backlog growth', `${f(lag.backlogGrowthPerSecond, 1)} traces/s`],
          [
            'mean export lag (metric)',
            lag.meanExportLagSeconds === undefined ? 'n/a' : `${f(lag.meanExportLagSeconds, 2)} s`,
          ],
          [
            'export lag p50 / p99 (histogram bucket bounds)',
            lag.lagP50Seconds === undefined
              ? 'n/a'
              : `≤ ${f(lag.lagP50Seconds, 2)} s / ≤ ${f(lag.lagP99Seconds ?? NaN, 2)} s`,
          ],
        ],
        ['---', '---:'],
      ),
      '',
      `Backlog every second: ${lag.series.map(([, backlog]) => backlog).join(', ')}`,
      '',
    );
  }
  return out;
}

function memorySection(results: BenchResults): string[] {
  const memory = results.memory;
  if (!memory) return [];
  return [
    '## 5. Memory (RSS of arkgate as started by default: tracing on, the export worker in the API process, started fresh)',
    '',
    table(
      ['state', 'RSS MB'],
      [
        ['at rest, just started', f(memory.restAfterStartMb, 1)],
        ['at rest, before the memory scenario', f(memory.restBeforeLoadMb, 1)],
        [
          `max while holding ${memory.streams.open} streams (${memory.streams.completed} completed, ${memory.streams.tokenDelayMs} ms/token)`,
          f(memory.streams.maxMb, 1),
        ],
        [`after ${int(memory.requests.total)} requests`, f(memory.requests.endMb, 1)],
        ['5 s idle after that', f(memory.requests.idleAfterMb, 1)],
        ['second-half slope, MB per 10k requests', f(memory.slopeMbPer10k)],
        [
          'JS heap used / external (metrics), before → after the requests',
          `${f(memory.heap?.before.heapUsedMb, 1)} / ${f(memory.heap?.before.externalMb, 1)} → ` +
            `${f(memory.heap?.after.heapUsedMb, 1)} / ${f(memory.heap?.after.externalMb, 1)}`,
        ],
        [
          'traces buffered in memory (arkgate_traces_buffered), before → after',
          `${f(memory.heap?.before.bufferedTraces, 0)} → ${f(memory.heap?.after.bufferedTraces, 0)}`,
        ],
      ],
      ['---', '---:'],
    ),
    '',
    `RSS by requests served: ${memory.requests.series.map(([n, mb]) => `${int(n)}: ${f(mb, 0)}`).join(', ')}`,
    '',
    ...(memory.tracingOff
      ? [
          `Same requests against arkgate with tracing off: RSS ${memory.tracingOff.series
            .map(([n, mb]) => `${int(n)}: ${f(mb, 0)}`)
            .join(', ')}; JS heap used ${f(memory.tracingOff.heap.before.heapUsedMb, 1)} → ` +
            `${f(memory.tracingOff.heap.after.heapUsedMb, 1)} MB.`,
          '',
        ]
      : []),
  ];
}

/** Share of a core the sizing example plans for (the Kubernetes autoscaler's target). */
const CPU_TARGET = 0.7;
/** Cores per MLflow server in the sizing example (its 4 default uvicorn workers can use them). */
const MLFLOW_SERVER_CORES = 2;

const cores = (use: { cores: number; cpuSeconds: number }) =>
  `${f(use.cores)} cores (${f(use.cpuSeconds, 1)} CPU s)`;

function capacitySection(results: BenchResults): string[] {
  const capacity = results.capacity;
  if (!capacity) return [];
  const { apis, worker } = capacity;
  const config = results.config as { durationS?: number; warmupS?: number };
  const first = apis[0];
  const row = (name: string, value: (api: (typeof apis)[number]) => string) => [
    name,
    ...apis.map(value),
  ];
  const out = [
    '## 6. Capacity per core',
    '',
    'CPU seconds each process used over the measured windows (utime + stime from /proc, a ' +
      "process's descendants included: MLflow's uvicorn workers), next to what it did in them. " +
      'Every process shares the same cores, so the rates depend on the machine; the per-CPU-second ' +
      'figures are the ones to size with.',
    '',
    `### API: arkgate alone, tracing on, WORKER_ENABLED=false (traces queued to Redis)`,
    '',
    `${first.connections} clients, ${first.upstreamLatencyMs} ms upstream, ${first.rounds.length} × ` +
      `${f(config.durationS, 0)} s per heap setting after ${f(config.warmupS, 0)} s of warm-up, ` +
      'the two processes measured in turn (order swapped each round).',
    '',
    table(
      [
        'measure',
        ...apis.map((api) =>
          api.nodeArgs.length ? `\`${api.nodeArgs.join(' ')}\`` : "V8's default heap",
        ),
      ],
      [
        row(
          'served',
          (api) =>
            `${f(api.requestsPerSecond, 0)} req/s (${api.rounds.map((r) => f(r.requestsPerSecond, 0)).join(', ')})`,
        ),
        row('requests, errors', (api) => `${int(api.requests)}, ${api.errors}`),
        row(
          'latency p50 / p99 / mean',
          (api) => `${f(api.latency.p50)} / ${f(api.latency.p99)} / ${f(api.latency.mean)} ms`,
        ),
        row('API process CPU', (api) => cores(api.cpu.api)),
        row(
          '**requests per API CPU second** (req/s of one fully used core)',
          (api) =>
            `**${f(api.requestsPerApiCpuSecond, 0)}** (${api.rounds.map((r) => f(r.requestsPerApiCpuSecond, 0)).join(', ')})`,
        ),
        row('API CPU per request', (api) => `${f(1000 / api.requestsPerApiCpuSecond)} ms`),
        row(
          'Redis CPU per 1000 requests (enqueue)',
          (api) => `${f(api.redisCpuSecondsPer1000, 3)} s`,
        ),
        row('simulator', (api) => cores(api.cpu.simulator)),
        row('load generator (autocannon, bench process)', (api) => cores(api.cpu.loadGenerator)),
        row('whole machine busy (everyone)', (api) => cores(api.cpu.machine)),
      ],
      ['---', ...apis.map(() => '---:')],
    ),
    '',
  ];
  if (worker) {
    out.push(
      `### Worker: one dist/worker.js draining the backlog into MLflow on PostgreSQL`,
      '',
      table(
        ['measure', 'value'],
        [
          [
            'worker',
            `EXPORT_CONCURRENCY=${worker.exportConcurrency}, EXPORT_BATCH_SIZE=${worker.batchSize}; one \`mlflow server\` ` +
              `(${worker.mlflowWorkers === 'default' ? 'its default 4 workers' : `${worker.mlflowWorkers} workers`}) on a fresh database`,
          ],
          [
            'drained',
            `${int(worker.traces)} traces in ${f(worker.seconds, 1)} s, ${worker.failed} failed, ${int(worker.inMlflow)} in MLflow after the stop`,
          ],
          ['drain rate', `${f(worker.tracesPerSecond, 1)} traces/s`],
          [
            'one batch, as the worker saw it (concurrency × batch / rate)',
            `${f(worker.secondsPerBatch)} s`,
          ],
          ['worker process CPU', cores(worker.cpu.worker)],
          ['**traces per worker CPU second**', `**${f(worker.tracesPerWorkerCpuSecond, 0)}**`],
          ['MLflow server CPU (all its processes)', cores(worker.cpu.mlflow)],
          [
            '**MLflow CPU seconds per 1000 traces**',
            `**${f(worker.mlflowCpuSecondsPer1000)}** (${f(worker.tracesPerMlflowCpuSecond, 0)} traces per CPU second)`,
          ],
          [
            'PostgreSQL, backends of the bench database',
            `${cores(worker.cpu.postgresBackends)}; ${f(worker.postgresBackendCpuSecondsPer1000)} s per 1000 traces`,
          ],
          [
            'PostgreSQL, every process (WAL writer, checkpointer, other users)',
            `${cores(worker.cpu.postgresServer)}; ${f(worker.postgresServerCpuSecondsPer1000)} s per 1000 traces`,
          ],
          [
            'database growth per 1000 traces',
            worker.databaseMbPer1000 === undefined ? 'n/a' : `${f(worker.databaseMbPer1000)} MB`,
          ],
          ['Redis CPU per 1000 traces (dequeue)', `${f(worker.redisCpuSecondsPer1000, 3)} s`],
          ['whole machine busy (everyone)', cores(worker.cpu.machine)],
        ],
        ['---', '---:'],
      ),
      '',
      ...sizingLines(capacity),
    );
  }
  return out;
}

const pods = (needed: number) => {
  const count = Math.max(1, Math.ceil(needed));
  return `${count} pod${count === 1 ? '' : 's'} of 1 CPU`;
};

/** The worked example: what `sizingRequestsPerSecond` with tracing needs at CPU_TARGET per core. */
function sizingLines(capacity: NonNullable<BenchResults['capacity']>): string[] {
  const { apis, worker, sizingRequestsPerSecond: rps } = capacity;
  const api = apis[0];
  if (!worker || !api) return [];
  const apiCores = rps / (api.requestsPerApiCpuSecond * CPU_TARGET);
  const workerCores = rps / (worker.tracesPerWorkerCpuSecond * CPU_TARGET);
  const workersByRate = rps / worker.tracesPerSecond;
  const mlflowCores = (rps * worker.mlflowCpuSecondsPer1000) / 1000 / CPU_TARGET;
  const postgresCores = (rps * worker.postgresBackendCpuSecondsPer1000) / 1000 / CPU_TARGET;
  const redisCores =
    (rps * (api.redisCpuSecondsPer1000 + worker.redisCpuSecondsPer1000)) / 1000 / CPU_TARGET;
  const perDayGb = ((worker.databaseMbPer1000 ?? NaN) * rps * 86_400) / 1000 / 1024;
  const pct = f(CPU_TARGET * 100, 0);
  return [
    `### Sizing example: ${rps} req/s sustained, tracing on, ${pct} % CPU per core`,
    '',
    table(
      ['part', `cores at ${pct} %`, 'count'],
      [
        [
          'API',
          f(apiCores),
          `${pods(apiCores)} (\`${api.nodeArgs.join(' ') || "V8's default heap"}\`)`,
        ],
        ...apis.slice(1).map((other) => {
          const otherCores = rps / (other.requestsPerApiCpuSecond * CPU_TARGET);
          return [
            `API, ${other.nodeArgs.join(' ') || "V8's default heap"}`,
            f(otherCores),
            pods(otherCores),
          ];
        }),
        [
          'export workers',
          f(workerCores),
          `${Math.max(1, Math.ceil(workerCores), Math.ceil(workersByRate))} (CPU: ${f(workerCores)}; ` +
            `rate: ${rps} / ${f(worker.tracesPerSecond, 0)} traces/s of one worker here = ${f(workersByRate)})`,
        ],
        [
          'MLflow servers on PostgreSQL',
          f(mlflowCores),
          `${Math.ceil(mlflowCores / MLFLOW_SERVER_CORES)} of ${MLFLOW_SERVER_CORES} cores`,
        ],
        [
          'PostgreSQL (bench database backends)',
          f(postgresCores),
          `database growth ${f(perDayGb, 1)} GB per day`,
        ],
        ['Redis (enqueue + dequeue)', f(redisCores, 3), '—'],
      ],
      ['---', '---:', '---'],
    ),
    '',
    'Cores = rate × CPU seconds per item / ' +
      `${CPU_TARGET}. One worker is also bounded by EXPORT_CONCURRENCY × EXPORT_BATCH_SIZE over ` +
      "MLflow's time per batch, whatever its CPU: the rate column uses the drain rate measured here " +
      '(MLflow on the same cores); with MLflow on hosts of its own a worker moves more, or raise ' +
      'EXPORT_CONCURRENCY.',
    '',
  ];
}

type ProfileEntry = NonNullable<BenchResults['profile']>['top'][number];

function profileRow(entry: ProfileEntry): string[] {
  return [
    f(entry.selfPercent, 1),
    f(entry.selfMs, 0),
    `\`${entry.functionName}\``,
    `\`${entry.location}\``,
  ];
}

/** The CPU budget per request stage (issue: every cost of the request path visible). */
function stageSection(profile: NonNullable<BenchResults['profile']>): string[] {
  if (!profile.stages) return [];
  const total = profile.stages.reduce((sum, row) => sum + row.usPerRequest, 0);
  return [
    '### CPU per request, by stage',
    '',
    `The API process alone (the export worker runs in its own process), ${f(profile.requests ?? 0, 0)} ` +
      'answers. Each profile sample counts for the innermost frame on its stack that is ' +
      "arkgate's or a library's (`bench/profile-stages.ts` has the rules). " +
      `The stages add up to ${f(total, 0)} µs per request; /proc counts ` +
      `${f(profile.apiCpuUsPerRequest ?? 0, 0)} µs for the process over the same window (the profiler's ` +
      'own cost included).',
    '',
    table(
      ['stage', 'CPU µs / request', '%'],
      [...profile.stages]
        .sort((a, b) => b.usPerRequest - a.usPerRequest)
        .map((row) => [row.stage, f(row.usPerRequest, 0), f(row.percent, 1)]),
      ['---', '---:', '---:'],
    ),
    '',
  ];
}

function profileSection(results: BenchResults): string[] {
  const profile = results.profile;
  if (!profile) return [];
  return [
    '## Profile: arkgate, tracing on, 32 clients (`node --cpu-prof dist/main.js`)',
    '',
    ...stageSection(profile),
    `${f(profile.requestsPerSecond, 0)} req/s during ${f(profile.seconds, 0)} s under the profiler; only samples ` +
      `inside the measured window (${f((profile.windowShare ?? 1) * 100, 0)} % of the profile) count, so startup ` +
      `and warm-up are left out. Profile (not committed): \`${relative(REPO_ROOT, profile.file)}\`.`,
    '',
    table(['self %', 'self ms', 'function', 'location'], profile.top.map(profileRow), [
      '---:',
      '---:',
      '---',
      '---',
    ]),
    '',
    "arkgate's own functions (dist/, mapped 1:1 to src/) by inclusive time (self + callees):",
    '',
    table(
      ['incl. %', 'incl. ms', 'function', 'location'],
      (profile.arkgateInclusive ?? []).map(profileRow),
      ['---:', '---:', '---', '---'],
    ),
    '',
    'Self time by area:',
    '',
    table(
      ['area', 'self %'],
      profile.byArea.map((row) => [row.area, f(row.selfPercent, 1)]),
    ),
    '',
  ];
}

/** The whole run as markdown: machine, commands, targets met/missed, then each scenario's tables. */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const checks = checkTargets(results);
  return [
    `# arkgate benchmarks: ${results.name}${results.quick ? ' (quick mode: short cells, numbers indicative only)' : ''}`,
    '',
    `Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}; ${m.date};` +
      ` load average at start ${m.loadAverageAtStart.join(' / ')}.`,
    '',
    'Commands:',
    '',
    '```sh',
    ...results.commands,
    '```',
    '',
    ...results.notes.map((note) => `- ${note}`),
    ...(results.restarts ?? []).map((note) => `- Restart: ${note}`),
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'status'],
      checks.map((check) => [
        check.target,
        check.measured,
        check.met === undefined ? 'not measured' : check.met ? 'met' : '**missed**',
      ]),
      ['---', '---', '---'],
    ),
    '',
    ...latencySection(results),
    ...serverTimingSection(results),
    ...streamingSection(results),
    ...exportSection(results),
    ...memorySection(results),
    ...capacitySection(results),
    ...profileSection(results),
    ...instructionsSection(results),
    `Configuration: \`${JSON.stringify(results.config)}\``,
    '',
  ].join('\n');
}
