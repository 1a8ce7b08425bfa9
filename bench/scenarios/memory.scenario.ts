import type { BenchConfig } from '../config';
import type { HeapSample, MemoryResult } from '../report/results.model';
import { metricValue, scrape } from '../support/metrics-scrape';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { rssMb } from '../support/rss';
import { holdStreams } from '../support/sse-timing';
import { type ArkgateTarget, startArkgate } from '../targets/arkgate.target';
import { ExportQueue } from '../targets/export-queue';
import { CHAT_BODY, streamBody } from './request-bodies';

const STREAM_TOKENS = 100;

export interface MemorySetup {
  arkBaseUrl: string;
  /** A queue of the scenario's own, so that no other worker takes its exports. */
  redisUrl: string;
  mlflowUri: string;
  experimentName: string;
}

/**
 * RSS of arkgate as `scripts/start.sh` starts it (tracing on, the export worker in the API process,
 * the default heap flags), started fresh: at rest, holding many slow streams, and over a long run of
 * requests; the same requests against `tracingOff` tell what tracing retains.
 */
export async function runMemoryScenario(
  setup: MemorySetup,
  config: BenchConfig,
  tracingOff?: ArkgateTarget,
): Promise<MemoryResult> {
  const queue = new ExportQueue(setup.redisUrl);
  let arkgate: ArkgateTarget | undefined;
  try {
    await queue.clear();
    arkgate = await startArkgate({
      ...setup,
      exportConcurrency: config.exportConcurrency,
      nodeArgs: config.arkgateNodeArgs,
      label: 'memory',
      tracing: true,
      worker: true,
    });
    return await measure(arkgate, rssMb(arkgate.pid), config, tracingOff);
  } finally {
    await arkgate?.process.stop();
    await queue.clear().catch(() => undefined);
    await queue.close();
  }
}

async function measure(
  arkgate: ArkgateTarget,
  restAfterStartMb: number,
  config: BenchConfig,
  tracingOff?: ArkgateTarget,
): Promise<MemoryResult> {
  const rss = () => rssMb(arkgate.pid);
  const restBeforeLoadMb = rss();
  const heapBefore = await heap(arkgate.baseUrl);

  log(`memory: ${config.memoryStreams} concurrent streams`);
  let maxStreamsMb = rss();
  const poll = setInterval(() => (maxStreamsMb = Math.max(maxStreamsMb, rss())), 100);
  const streams = await holdStreams(
    arkgate.chatUrl,
    streamBody(STREAM_TOKENS, config.memoryStreamTokenDelayMs),
    config.memoryStreams,
  ).finally(() => clearInterval(poll));
  log(
    `memory: streams ${streams.completed}/${config.memoryStreams} completed, max RSS ${maxStreamsMb.toFixed(1)} MB`,
  );

  log(`memory: ${config.memoryRequests} requests`);
  const series = await sampledLoad(arkgate, config);
  const endMb = rss();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idleAfterMb = rss();
  const heapAfter = await heap(arkgate.baseUrl);
  const secondHalf = series.filter(([count]) => count >= config.memoryRequests / 2);
  const first = secondHalf[0] ?? series[0];
  const last = series.at(-1) ?? first;
  const slopeMbPer10k =
    last[0] > first[0] ? ((last[1] - first[1]) / (last[0] - first[0])) * 10_000 : 0;
  log(
    `memory: RSS ${series[0][1].toFixed(1)} → ${endMb.toFixed(1)} MB, idle ${idleAfterMb.toFixed(1)} MB`,
  );
  return {
    restAfterStartMb,
    restBeforeLoadMb,
    streams: {
      open: config.memoryStreams,
      completed: streams.completed,
      maxMb: maxStreamsMb,
      tokenDelayMs: config.memoryStreamTokenDelayMs,
    },
    requests: { total: config.memoryRequests, series, endMb, idleAfterMb },
    heap: { before: heapBefore, after: heapAfter },
    slopeMbPer10k,
    tracingOff: tracingOff ? await requestsOnly(tracingOff, config) : undefined,
  };
}

/** The same requests against arkgate with tracing off, to tell what tracing retains. */
async function requestsOnly(arkgate: ArkgateTarget, config: BenchConfig) {
  log(`memory: ${config.memoryRequests} requests against ${arkgate.name}`);
  const heapBefore = await heap(arkgate.baseUrl);
  const series = await sampledLoad(arkgate, config);
  return { series, heap: { before: heapBefore, after: await heap(arkgate.baseUrl) } };
}

/** BENCH_MEMORY_REQUESTS chat requests; RSS (MB) every BENCH_MEMORY_SAMPLE_EVERY of them. */
async function sampledLoad(arkgate: ArkgateTarget, config: BenchConfig) {
  const series: [number, number][] = [[0, rssMb(arkgate.pid)]];
  await runLoad({
    url: arkgate.chatUrl,
    body: CHAT_BODY,
    connections: 32,
    amount: config.memoryRequests,
    onResponse: (count) => {
      if (count % config.memorySampleEvery === 0) series.push([count, rssMb(arkgate.pid)]);
    },
  });
  return series;
}

async function heap(baseUrl: string): Promise<HeapSample> {
  const page = await scrape(baseUrl).catch(() => '');
  const mb = (name: string) => {
    const bytes = metricValue(page, name);
    return bytes === undefined ? undefined : bytes / 1024 ** 2;
  };
  return {
    heapUsedMb: mb('arkgate_process_nodejs_heap_size_used_bytes'),
    externalMb: mb('arkgate_process_nodejs_external_memory_bytes'),
    bufferedTraces: metricValue(page, 'arkgate_traces_buffered'),
  };
}
