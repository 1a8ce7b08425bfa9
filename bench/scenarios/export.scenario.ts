import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from '../config';
import type { ExportResult } from '../report/results.model';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { MlflowRest } from '../support/mlflow-rest';
import { startArkgate, startArkgateWorker } from '../targets/arkgate.target';
import { ExportQueue, redisDbUrl } from '../targets/export-queue';
import { measureMlflowCeiling } from './mlflow-ceiling';
import { CHAT_BODY } from './request-bodies';

const SAMPLE_TRACES = 200;

/**
 * Export throughput from a backlog: an arkgate API without a worker fills its own Redis DB with
 * `exportBacklog` traces, the plain-loop ceiling is measured on a copy of some of them, then the
 * separate worker process (dist/worker.js) drains the backlog while the queue is polled.
 */
export async function runExportScenario(
  config: BenchConfig,
  redisServerUrl: string,
  upstreamBaseUrl: string,
  trackingUri: string,
): Promise<ExportResult> {
  const redisUrl = redisDbUrl(redisServerUrl, config.exportRedisDb);
  const queue = new ExportQueue(redisUrl);
  await queue.flush();
  const experimentName = `bench-export-${Date.now()}`;
  const common = {
    redisUrl,
    mlflowUri: trackingUri,
    experimentName,
    exportConcurrency: config.exportConcurrency,
  };
  try {
    const api = await startArkgate({
      ...common,
      label: 'export-producer',
      arkBaseUrl: upstreamBaseUrl,
      tracing: true,
      worker: false,
    });
    log(`export: building a backlog of ${config.exportBacklog} traces`);
    const built = performance.now();
    const load = await runLoad({
      url: api.chatUrl,
      body: CHAT_BODY,
      connections: 32,
      amount: config.exportBacklog,
    });
    if (load.requests !== config.exportBacklog) {
      throw new Error(
        `export: only ${load.requests} of ${config.exportBacklog} requests succeeded`,
      );
    }
    while ((await queue.backlog()) < config.exportBacklog) await sleep(100);
    const backlogBuildSeconds = (performance.now() - built) / 1000;
    await api.process.stop();

    const mlflow = new MlflowRest(trackingUri);
    const ceilingExperiment = await mlflow.createExperiment(`bench-ceiling-${Date.now()}`);
    const samples = await queue.sampleTraces(SAMPLE_TRACES);
    // Half the ceiling loop before the worker drains the backlog and half after, so drift of the
    // shared machine (and MLflow's growing database) weighs on both sides alike.
    const ceilingHalf = async (when: string) => {
      const half = await measureMlflowCeiling(
        trackingUri,
        ceilingExperiment,
        samples,
        Math.max(1, Math.round(config.ceilingTraces / 2)),
        config.exportConcurrency,
      );
      log(
        `export: ceiling ${when} ${half.tracesPerSecond.toFixed(1)} traces/s (${half.errors} errors)`,
      );
      return half;
    };
    log(`export: MLflow ceiling, ${config.ceilingTraces} traces from a plain loop`);
    const before = await ceilingHalf('before');
    log('export: starting the worker process');
    const worker = await startArkgateWorker(common);
    const started = performance.now();
    const drainSeries: [number, number][] = [];
    let left = config.exportBacklog;
    while (left > 0) {
      await sleep(500);
      left = await queue.backlog();
      drainSeries.push([(performance.now() - started) / 1000, left]);
    }
    const drainSeconds = (performance.now() - started) / 1000;
    const { failed = 0 } = await queue.counts();
    await worker.stop();
    const experimentId = await mlflow.experimentId(experimentName);
    const inMlflow = experimentId ? await mlflow.countTraces(experimentId) : 0;
    const tracesPerSecond = (config.exportBacklog - failed) / drainSeconds;
    const after = await ceilingHalf('after');
    const ceilingSeconds = before.seconds + after.seconds;
    const ceiling = {
      traces: before.traces + after.traces,
      concurrency: config.exportConcurrency,
      seconds: ceilingSeconds,
      tracesPerSecond: (before.traces + after.traces) / ceilingSeconds,
      errors: before.errors + after.errors,
    };
    log(
      `export: worker ${tracesPerSecond.toFixed(1)} traces/s, ${inMlflow} in MLflow, ${failed} failed`,
    );
    return {
      backlog: config.exportBacklog,
      backlogBuildSeconds,
      workerMode: `separate process (dist/worker.js), EXPORT_CONCURRENCY=${config.exportConcurrency}`,
      drainSeconds,
      tracesPerSecond,
      inMlflow,
      failed,
      ceiling,
      ofCeiling: tracesPerSecond / ceiling.tracesPerSecond,
      drainSeries,
    };
  } finally {
    await queue.flush();
    await queue.close();
  }
}
