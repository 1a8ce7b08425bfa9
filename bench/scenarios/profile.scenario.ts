import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import { summarizeProfile } from '../profile-summary';
import type { ProfileResult } from '../report/results.model';
import { runLoad } from '../support/load';
import { log } from '../support/log';
import { startArkgate } from '../targets/arkgate.target';
import { CHAT_BODY } from './request-bodies';

export interface ProfileSetup {
  arkBaseUrl: string;
  redisUrl: string;
  mlflowUri: string;
  experimentName: string;
  profileDir: string;
}

/**
 * A fresh arkgate (tracing on, in-process worker) under `node --cpu-prof`, 32 connections after a
 * warm-up; the profile is written when it exits on SIGTERM, then summarized by self time.
 */
export async function runProfileScenario(
  setup: ProfileSetup,
  config: BenchConfig,
): Promise<ProfileResult> {
  rmSync(setup.profileDir, { recursive: true, force: true });
  mkdirSync(setup.profileDir, { recursive: true });
  const arkgate = await startArkgate({
    label: 'profiled',
    arkBaseUrl: setup.arkBaseUrl,
    tracing: true,
    worker: true,
    redisUrl: setup.redisUrl,
    mlflowUri: setup.mlflowUri,
    experimentName: setup.experimentName,
    exportConcurrency: config.exportConcurrency,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${setup.profileDir}`],
  });
  await runLoad({
    url: arkgate.chatUrl,
    body: CHAT_BODY,
    connections: 32,
    durationS: config.warmupS,
  });
  log(`profile: 32 connections for ${config.profileS} s under --cpu-prof`);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const load = await runLoad({
    url: arkgate.chatUrl,
    body: CHAT_BODY,
    connections: 32,
    durationS: config.profileS,
  });
  const endUs = Number(process.hrtime.bigint() / 1000n);
  await arkgate.process.stop(30_000);
  const file = readdirSync(setup.profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${setup.profileDir}`);
  const path = join(setup.profileDir, file);
  const summary = summarizeProfile(path, 15, { startUs, endUs });
  return {
    file: path,
    seconds: load.seconds,
    requestsPerSecond: load.requestsPerSecond,
    top: summary.top,
    arkgateInclusive: summary.arkgateInclusive,
    windowShare: summary.windowShare,
    byArea: summary.byArea.slice(0, 20),
  };
}
