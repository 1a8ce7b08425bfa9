import type { BenchConfig } from '../config';
import type { QueueLagResult } from '../report/results.model';
import { freePort } from '../support/http';
import { histogramBuckets, quantileBetween } from '../support/histogram-quantile';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { metricValue } from '../support/metrics-scrape';
import { startArkgate, startArkgateWorker } from '../targets/arkgate.target';
import { ExportQueue } from '../targets/export-queue';
import { CHAT_BODY } from './request-bodies';

const LAG_METRIC = 'arkgate_export_lag_seconds';

export interface QueueLagSetup {
  queueUrl: string;
  upstreamBaseUrl: string;
  trackingUri: string;
  experimentName: string;
}

/**
 * An arkgate API with tracing and no worker, under load at its peak rate (128 connections, no
 * rate cap), and the export worker as its own process, while the queue's backlog is polled every
 * second: a backlog that grows means export does not keep up with serving. The lag from request
 * end to trace stored comes from the worker's own metrics.
 */
export async function runQueueLagScenario(
  setup: QueueLagSetup,
  config: BenchConfig,
): Promise<QueueLagResult> {
  const queue = new ExportQueue(setup.queueUrl);
  await queue.clear();
  const common = {
    redisUrl: setup.queueUrl,
    mlflowUri: setup.trackingUri,
    experimentName: setup.experimentName,
    exportConcurrency: config.exportConcurrency,
  };
  const api = await startArkgate({
    ...common,
    label: 'queue-lag-api',
    arkBaseUrl: setup.upstreamBaseUrl,
    tracing: true,
    worker: false,
  });
  const metricsPort = await freePort();
  const worker = await startArkgateWorker({ ...common, metricsPort });
  const workerMetrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  try {
    const connections = Math.max(...config.connections);
    const before = await workerMetrics();
    const series: [number, number][] = [];
    const started = performance.now();
    const backlogStart = await queue.backlog();
    const poll = setInterval(() => {
      void queue
        .backlog()
        .then((backlog) => series.push([(performance.now() - started) / 1000, backlog]));
    }, 1_000);
    log(`queue lag: ${connections} connections for ${config.queueLagS} s, separate worker`);
    const load = await runLoad({
      url: api.chatUrl,
      body: CHAT_BODY,
      connections,
      durationS: config.queueLagS,
    }).finally(() => clearInterval(poll));
    const backlogEnd = await queue.backlog();
    const after = await workerMetrics();
    const delta = (metric: string) =>
      (metricValue(after, metric) ?? 0) - (metricValue(before, metric) ?? 0);
    const lagCount = delta(`${LAG_METRIC}_count`);
    const growth = (backlogEnd - backlogStart) / load.seconds;
    const [bucketsBefore, bucketsAfter] = [before, after].map((page) =>
      histogramBuckets(page, LAG_METRIC),
    );
    const result: QueueLagResult = {
      seconds: load.seconds,
      connections,
      servedPerSecond: load.requestsPerSecond,
      exportedPerSecond: lagCount / load.seconds,
      backlogStart,
      backlogEnd,
      backlogMax: Math.max(backlogEnd, ...series.map(([, backlog]) => backlog)),
      backlogGrowthPerSecond: growth,
      meanExportLagSeconds: lagCount > 0 ? delta(`${LAG_METRIC}_sum`) / lagCount : undefined,
      lagP50Seconds: quantileBetween(bucketsBefore, bucketsAfter, 0.5),
      lagP99Seconds: quantileBetween(bucketsBefore, bucketsAfter, 0.99),
      series,
    };
    log(
      `queue lag: served ${result.servedPerSecond.toFixed(0)}/s, exported ${result.exportedPerSecond.toFixed(0)}/s, ` +
        `backlog ${backlogStart} → ${backlogEnd}`,
    );
    return result;
  } finally {
    await api.process.stop();
    await worker.stop();
    await queue.clear();
    await queue.close();
  }
}
