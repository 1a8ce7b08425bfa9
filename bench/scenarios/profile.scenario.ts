import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import { stageBudget } from '../profile-stages';
import { summarizeProfile } from '../profile-summary';
import type { ProfileResult } from '../report/results.model';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { oneProcess, startCpuWindow } from '../support/cpu';
import { startArkgate, startArkgateWorker } from '../targets/arkgate.target';
import { CHAT_BODY } from './request-bodies';

export interface ProfileSetup {
  arkBaseUrl: string;
  redisUrl: string;
  mlflowUri: string;
  experimentName: string;
  profileDir: string;
}

/**
 * A fresh arkgate API process (tracing on, the export worker in a process of its own, so the
 * profile holds the request path only) under `node --cpu-prof`, 32 connections after a warm-up;
 * the profile is written when it exits on SIGTERM, then summarized by self time and as CPU
 * microseconds per request by stage. The API's CPU from /proc over the same window checks the
 * profile's total.
 */
export async function runProfileScenario(
  setup: ProfileSetup,
  config: BenchConfig,
): Promise<ProfileResult> {
  rmSync(setup.profileDir, { recursive: true, force: true });
  mkdirSync(setup.profileDir, { recursive: true });
  const common = {
    redisUrl: setup.redisUrl,
    mlflowUri: setup.mlflowUri,
    experimentName: setup.experimentName,
    exportConcurrency: config.exportConcurrency,
  };
  const worker = await startArkgateWorker({ ...common, nodeArgs: config.arkgateNodeArgs });
  const arkgate = await startArkgate({
    ...common,
    label: 'profiled',
    arkBaseUrl: setup.arkBaseUrl,
    tracing: true,
    worker: false,
    nodeArgs: [...config.arkgateNodeArgs, '--cpu-prof', `--cpu-prof-dir=${setup.profileDir}`],
  });
  await runLoad({
    url: arkgate.chatUrl,
    body: CHAT_BODY,
    connections: 32,
    durationS: config.warmupS,
  });
  log(`profile: 32 connections for ${config.profileS} s under --cpu-prof`);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const cpu = startCpuWindow({ api: oneProcess(arkgate.process.child.pid) });
  const load = await runLoad({
    url: arkgate.chatUrl,
    body: CHAT_BODY,
    connections: 32,
    durationS: config.profileS,
  });
  const measured = cpu.stop();
  const endUs = Number(process.hrtime.bigint() / 1000n);
  await arkgate.process.stop(30_000);
  await worker.stop();
  const file = readdirSync(setup.profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${setup.profileDir}`);
  const path = join(setup.profileDir, file);
  const summary = summarizeProfile(path, 15, { startUs, endUs });
  const answered = load.requests + load.non2xx;
  return {
    requests: answered,
    apiCpuUsPerRequest: (measured.cpu.api.cpuSeconds * 1e6) / Math.max(1, answered),
    stages: stageBudget(path, answered, { startUs, endUs }),
    file: path,
    seconds: load.seconds,
    requestsPerSecond: load.requestsPerSecond,
    top: summary.top,
    arkgateInclusive: summary.arkgateInclusive,
    windowShare: summary.windowShare,
    byArea: summary.byArea.slice(0, 20),
  };
}
