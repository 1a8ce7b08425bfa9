import type { BenchConfig } from '../config';
import type { StreamingRow } from '../report/results.model';
import { log } from '../support/log';
import { type StreamTiming, timeStream } from '../support/sse-timing';
import { summarize } from '../support/stats';
import type { ChatTarget } from '../targets/target.model';
import { streamBody } from './request-bodies';

const BURST_GAP_MS = 1;

/**
 * Time to first and to last token, one stream at a time, the targets alternating stream by stream.
 * Every token chunk's arrival time is kept to show the chunks come spread out, not in one burst.
 */
export async function runStreamingScenario(
  targets: ChatTarget[],
  config: BenchConfig,
): Promise<StreamingRow[]> {
  const body = streamBody(config.streamTokens, config.streamTokenDelayMs);
  const timings = new Map<string, StreamTiming[]>(targets.map((target) => [target.name, []]));
  for (const target of targets) await timeStream(target.chatUrl, body, target.headers); // warm-up
  for (let sample = 0; sample < config.streamSamples; sample += 1) {
    for (const target of targets) {
      const timing = await timeStream(target.chatUrl, body, target.headers);
      if (timing.status !== 200)
        throw new Error(`${target.name}: stream answered ${timing.status}`);
      timings.get(target.name)?.push(timing);
    }
  }
  const rows = targets.map((target) => toRow(target.name, timings.get(target.name) ?? []));
  const direct = rows.find((row) => row.target === 'direct');
  for (const row of rows) if (direct) row.addedTtftMs = row.ttftMs.mean - direct.ttftMs.mean;
  for (const row of rows) {
    log(
      `stream ${row.target}: TTFT ${row.ttftMs.mean.toFixed(2)} ms, last ${row.lastTokenMs.mean.toFixed(1)} ms, ` +
        `max gap ${row.meanMaxGapMs.toFixed(2)} ms, bursts ${(row.burstShare * 100).toFixed(1)} %`,
    );
  }
  return rows;
}

function toRow(target: string, timings: StreamTiming[]): StreamingRow {
  const gaps = timings.map((timing) =>
    timing.tokenArrivalsMs.slice(1).map((at, index) => at - timing.tokenArrivalsMs[index]),
  );
  const allGaps = gaps.flat();
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    target,
    samples: timings.length,
    ttftMs: summarize(timings.map((timing) => timing.firstTokenMs)),
    lastTokenMs: summarize(timings.map((timing) => timing.lastTokenMs)),
    meanMaxGapMs: mean(gaps.map((list) => Math.max(0, ...list))),
    meanSpreadMs: mean(
      timings.map(
        (timing) => (timing.tokenArrivalsMs.at(-1) ?? 0) - (timing.tokenArrivalsMs[0] ?? 0),
      ),
    ),
    burstShare: allGaps.filter((gap) => gap < BURST_GAP_MS).length / Math.max(1, allGaps.length),
    tokensPerStream: mean(timings.map((timing) => timing.tokenArrivalsMs.length)),
  };
}
