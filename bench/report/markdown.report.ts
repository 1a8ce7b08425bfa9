import { relative } from 'node:path';
import { REPO_ROOT } from '../config';
import type { BenchResults } from './results.model';
import { checkTargets } from './targets-check';

const f = (value: number | undefined, digits = 2) =>
  value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
const int = (value: number) => Math.round(value).toLocaleString('en-US');

function table(header: string[], rows: string[][], align?: string[]): string {
  const aligns = align ?? header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [
    `| ${header.join(' | ')} |`,
    `|${aligns.join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

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
    '## 5. Memory (RSS of the arkgate API process, tracing on)',
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

type ProfileEntry = NonNullable<BenchResults['profile']>['top'][number];

function profileRow(entry: ProfileEntry): string[] {
  return [
    f(entry.selfPercent, 1),
    f(entry.selfMs, 0),
    `\`${entry.functionName}\``,
    `\`${entry.location}\``,
  ];
}

function profileSection(results: BenchResults): string[] {
  const profile = results.profile;
  if (!profile) return [];
  return [
    '## Profile: arkgate, tracing on, 32 clients (`node --cpu-prof dist/main.js`)',
    '',
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
    ...profileSection(results),
    `Configuration: \`${JSON.stringify(results.config)}\``,
    '',
  ].join('\n');
}
