import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from '../config';
import type { ExportRate, ExportResult } from '../report/results.model';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { MlflowRest } from '../support/mlflow-rest';
import { startArkgate, startArkgateWorker } from '../targets/arkgate.target';
import { ExportQueue, redisDbUrl } from '../targets/export-queue';
import { type MlflowBackend, startMlflow } from '../targets/mlflow.target';
import { combineRates, measureOtlpLoop } from './mlflow-ceiling';
import { CHAT_BODY } from './request-bodies';

const SAMPLE_TRACES = 200;
const BATCH = 100;

/**
 * Export throughput from a backlog, per MLflow backend store (its own server, MLflow's default
 * workers): an arkgate API without a worker fills a Redis DB with `exportBacklog` traces, the
 * plain one-trace-per-request loop and MLflow's batched ceiling are measured on copies of them
 * (half before the drain, half after, so the shared machine's drift weighs on both), then the
 * separate worker process (dist/worker.js) drains the backlog while the queue is polled.
 */
export async function runExportScenario(
  config: BenchConfig,
  redisServerUrl: string,
  upstreamBaseUrl: string,
): Promise<ExportResult[]> {
  const results: ExportResult[] = [];
  for (const backend of config.exportBackends) {
    results.push(await runOnBackend(backend, config, redisServerUrl, upstreamBaseUrl));
  }
  return results;
}

async function runOnBackend(
  backend: MlflowBackend,
  config: BenchConfig,
  redisServerUrl: string,
  upstreamBaseUrl: string,
): Promise<ExportResult> {
  log(`export (${backend}): starting MLflow with its default workers`);
  const server = await startMlflow({ backend });
  const trackingUri = server.trackingUri;
  const queue = new ExportQueue(redisDbUrl(redisServerUrl, config.exportRedisDb));
  await queue.flush();
  const experimentName = `bench-export-${backend}-${Date.now()}`;
  const common = {
    redisUrl: queue.redisUrl,
    mlflowUri: trackingUri,
    experimentName,
    exportConcurrency: config.exportConcurrency,
  };
  try {
    const api = await startArkgate({
      ...common,
      label: `export-producer-${backend}`,
      arkBaseUrl: upstreamBaseUrl,
      tracing: true,
      worker: false,
    });
    log(`export (${backend}): building a backlog of ${config.exportBacklog} traces`);
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
    const loopExperiment = await mlflow.createExperiment(`bench-loops-${Date.now()}`);
    const samples = await queue.sampleTraces(SAMPLE_TRACES);
    const loops = async (when: string) => {
      const plain = await measureOtlpLoop(trackingUri, loopExperiment, samples, {
        traces: Math.max(1, Math.round(config.ceilingTraces / 2)),
        perRequest: 1,
        concurrency: config.plainLoopConcurrency,
      });
      const batched: ExportRate[] = [];
      for (const concurrency of [1, 2]) {
        batched.push(
          await measureOtlpLoop(trackingUri, loopExperiment, samples, {
            traces: Math.max(BATCH, Math.round(config.exportBacklog / 2)),
            perRequest: BATCH,
            concurrency,
          }),
        );
      }
      log(
        `export (${backend}): ${when}: plain loop ${plain.tracesPerSecond.toFixed(1)}/s, batched ` +
          batched
            .map((rate) => `${rate.tracesPerSecond.toFixed(0)}/s (×${rate.concurrency})`)
            .join(', '),
      );
      return { plain, batched };
    };
    const before = await loops('before');

    log(`export (${backend}): starting the worker process`);
    const worker = await startArkgateWorker(common);
    const started = performance.now();
    const drainSeries: [number, number][] = [];
    let left = config.exportBacklog;
    while (left > 0) {
      await sleep(250);
      left = await queue.backlog();
      drainSeries.push([(performance.now() - started) / 1000, left]);
    }
    const drainSeconds = (performance.now() - started) / 1000;
    const { failed = 0 } = await queue.counts();
    await worker.stop();
    const experimentId = await mlflow.experimentId(experimentName);
    const inMlflow = experimentId ? await mlflow.countTraces(experimentId) : 0;
    const tracesPerSecond = (config.exportBacklog - failed) / drainSeconds;

    const after = await loops('after');
    const plainLoop = combineRates(before.plain, after.plain);
    const batchedCeiling = [0, 1]
      .map((i) => combineRates(before.batched[i], after.batched[i]))
      .reduce((best, rate) => (rate.tracesPerSecond > best.tracesPerSecond ? rate : best));
    log(
      `export (${backend}): worker ${tracesPerSecond.toFixed(1)} traces/s, ${inMlflow} in MLflow, ` +
        `${failed} failed`,
    );
    return {
      backend,
      mlflowWorkers: server.workers,
      backlog: config.exportBacklog,
      backlogBuildSeconds,
      workerMode:
        `separate process (dist/worker.js), EXPORT_CONCURRENCY=${config.exportConcurrency}, ` +
        'EXPORT_BATCH_SIZE=100',
      drainSeconds,
      tracesPerSecond,
      inMlflow,
      failed,
      plainLoop,
      batchedCeiling,
      ofPlainLoop: tracesPerSecond / plainLoop.tracesPerSecond,
      ofBatchedCeiling: tracesPerSecond / batchedCeiling.tracesPerSecond,
      drainSeries,
    };
  } finally {
    await queue.flush();
    await queue.close();
    await server.dispose();
  }
}
