import { table } from './markdown.table';
import type { BenchResults } from './results.model';

const thousands = (value: number) => `${Math.round(value / 1000).toLocaleString('en-US')}k`;

/** Instructions per request by target, and each one against the bare hop and arkgate-off. */
export function instructionsSection(results: BenchResults): string[] {
  const result = results.instructions;
  if (!result?.rows.length) return [];
  const per = (name: string) =>
    result.rows.find((row) => row.target === name)?.instructionsPerRequest;
  const bare = per('bare');
  const off = per('arkgate-off');
  const ratio = (value: number, base: number | undefined) =>
    base === undefined ? 'n/a' : `${(value / base).toFixed(2)}×`;
  return [
    '## Instructions per request (callgrind)',
    '',
    'Each target alone under `valgrind --tool=callgrind`, the simulator answering at once, ' +
      `${result.connections} clients: ${result.warmup.toLocaleString('en-US')} requests to warm ` +
      'up, then the counter is zeroed and the next requests counted (user-space instructions of ' +
      "every thread of the process; the kernel's socket work is not in them). Work done once per " +
      'request counts the same whatever else the machine runs; work done by the clock or once per ' +
      "event-loop turn (traces go to Redis per turn) moves with the run's wall time, so compare " +
      'builds of one target rather than targets. arkgate-on-queued queues its traces in Redis and ' +
      'nothing exports them.',
    '',
    table(
      [
        'target',
        'answers',
        'failed',
        'seconds',
        'instructions / request',
        'vs bare',
        'vs arkgate-off',
      ],
      result.rows.map((row) => [
        row.target,
        String(row.answers),
        String(row.failed),
        row.seconds === undefined ? 'n/a' : row.seconds.toFixed(0),
        thousands(row.instructionsPerRequest),
        ratio(row.instructionsPerRequest, bare),
        ratio(row.instructionsPerRequest, off),
      ]),
    ),
    '',
  ];
}
