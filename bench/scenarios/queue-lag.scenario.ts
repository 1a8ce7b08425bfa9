import type { BenchConfig } from '../config';
import type { QueueLagResult } from '../report/results.model';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { metricValue, scrape } from '../support/metrics-scrape';
import type { ArkgateTarget } from '../targets/arkgate.target';
import type { ExportQueue } from '../targets/export-queue';
import { CHAT_BODY } from './request-bodies';

const LAG_METRIC = 'arkgate_export_lag_seconds';

/**
 * arkgate with tracing and its in-process worker under load at its peak rate (128 connections,
 * no rate cap) while the export queue's backlog is polled every second: a backlog that grows
 * means export does not keep up with serving.
 */
export async function runQueueLagScenario(
  arkgate: ArkgateTarget,
  queue: ExportQueue,
  config: BenchConfig,
): Promise<QueueLagResult> {
  await queue.clear();
  const connections = Math.max(...config.connections);
  const before = await scrape(arkgate.baseUrl);
  const series: [number, number][] = [];
  const started = performance.now();
  const backlogStart = await queue.backlog();
  const poll = setInterval(() => {
    void queue
      .backlog()
      .then((backlog) => series.push([(performance.now() - started) / 1000, backlog]));
  }, 1_000);
  log(`queue lag: ${connections} connections for ${config.queueLagS} s against ${arkgate.name}`);
  const load = await runLoad({
    url: arkgate.chatUrl,
    body: CHAT_BODY,
    connections,
    durationS: config.queueLagS,
  }).finally(() => clearInterval(poll));
  const backlogEnd = await queue.backlog();
  const after = await scrape(arkgate.baseUrl);
  const lagSum =
    (metricValue(after, `${LAG_METRIC}_sum`) ?? 0) -
    (metricValue(before, `${LAG_METRIC}_sum`) ?? 0);
  const lagCount =
    (metricValue(after, `${LAG_METRIC}_count`) ?? 0) -
    (metricValue(before, `${LAG_METRIC}_count`) ?? 0);
  const growth = (backlogEnd - backlogStart) / load.seconds;
  const result: QueueLagResult = {
    seconds: load.seconds,
    connections,
    servedPerSecond: load.requestsPerSecond,
    exportedPerSecond: load.requestsPerSecond - growth,
    backlogStart,
    backlogEnd,
    backlogMax: Math.max(backlogEnd, ...series.map(([, backlog]) => backlog)),
    backlogGrowthPerSecond: growth,
    meanExportLagSeconds: lagCount > 0 ? lagSum / lagCount : undefined,
    series,
  };
  log(
    `queue lag: served ${result.servedPerSecond.toFixed(0)}/s, exported ~${result.exportedPerSecond.toFixed(0)}/s, ` +
      `backlog ${backlogStart} → ${backlogEnd}`,
  );
  await queue.clear();
  return result;
}
