/**
 * Top self-time functions of a V8 .cpuprofile (node --cpu-prof), and self time by area
 * (arkgate's src folders, npm packages, Node internals, GC).
 * Run: node -r ts-node/register/transpile-only bench/profile-summary.ts <file.cpuprofile> [top=15]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProfileEntry } from './report/results.model';

export interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Monotonic microseconds (V8's clock is CLOCK_MONOTONIC, like process.hrtime in another process). */
export interface ProfileWindow {
  startUs: number;
  endUs: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of the profile's samples inside the window (1 without one). */
  windowShare: number;
  top: ProfileEntry[];
  /** arkgate's own functions (dist/) by inclusive time: self plus everything they call. */
  arkgateInclusive: ProfileEntry[];
  byArea: { area: string; selfPercent: number }[];
}

const REPO_ROOT = resolve(__dirname, '..');
const IDLE = '(idle)';

/** Repo-relative path; the bench's dist/ snapshot (.cache/bench/dist) reads as dist/. */
export function relative(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(`${REPO_ROOT}/`, '')
    .replace(/^\.cache\/bench\/dist\//, 'dist/');
}

function location(frame: ProfileNode['callFrame']): string {
  const url = relative(frame.url);
  return url ? `${url}:${frame.lineNumber + 1}` : '';
}

/** Where a frame's code lives: `src/<folder>` for arkgate (dist/ maps to src/), the npm package, node internals, or V8. */
export function area(frame: ProfileNode['callFrame']): string {
  const url = relative(frame.url);
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/^dist\/(?:([^/]+)\/)?/);
  if (own) return own[1] ? `arkgate src/${own[1]}` : 'arkgate src/';
  return url;
}

/** A profile's samples inside `window`, each with its node id and time, and the call tree. */
export interface TimedProfile {
  byId: Map<number, ProfileNode>;
  parent: Map<number, number>;
  timed: { id: number; ms: number }[];
  windowShare: number;
}

export function readProfile(file: string, window?: ProfileWindow): TimedProfile {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  // Sample i happens at startTime + sum(deltas[0..i]); its time is the delta to the next sample
  // (as DevTools counts it).
  const timed: { id: number; ms: number }[] = [];
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    const inWindow = !window || (at >= window.startUs && at <= window.endUs);
    if (inWindow) timed.push({ id, ms: (profile.timeDeltas[index + 1] ?? 0) / 1000 });
  });
  if (window && timed.length === 0) return readProfile(file);
  return { byId, parent, timed, windowShare: timed.length / Math.max(1, profile.samples.length) };
}

export function summarizeProfile(file: string, top = 15, window?: ProfileWindow): ProfileSummary {
  const { byId, parent, timed, windowShare } = readProfile(file, window);

  const byFunction = new Map<string, ProfileEntry>();
  const inclusive = new Map<string, ProfileEntry>();
  const byArea = new Map<string, number>();
  let totalMs = 0;
  const entry = (map: Map<string, ProfileEntry>, frame: ProfileNode['callFrame']) => {
    const where = location(frame);
    const key = `${frame.functionName}@${where}`;
    let found = map.get(key);
    if (!found) {
      found = {
        selfMs: 0,
        selfPercent: 0,
        functionName: frame.functionName || '(anonymous)',
        location: where,
      };
      map.set(key, found);
    }
    return found;
  };
  for (const { id, ms } of timed) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === IDLE) continue;
    totalMs += ms;
    entry(byFunction, frame).selfMs += ms;
    byArea.set(area(frame), (byArea.get(area(frame)) ?? 0) + ms);
    const seen = new Set<ProfileEntry>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const ancestor = byId.get(node)?.callFrame;
      if (!ancestor || !location(ancestor).startsWith('dist/')) continue;
      const own = entry(inclusive, ancestor);
      if (!seen.has(own)) own.selfMs += ms;
      seen.add(own);
    }
  }
  const ranked = (map: Map<string, ProfileEntry>) => {
    const entries = [...map.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
    for (const item of entries) item.selfPercent = (item.selfMs / totalMs) * 100;
    return entries;
  };
  return {
    totalMs,
    windowShare,
    top: ranked(byFunction),
    arkgateInclusive: ranked(inclusive),
    byArea: [...byArea.entries()]
      .map(([name, ms]) => ({ area: name, selfPercent: (ms / totalMs) * 100 }))
      .sort((a, b) => b.selfPercent - a.selfPercent),
  };
}

if (require.main === module) {
  const [file, top = '15'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  const summary = summarizeProfile(file, Number(top));
  console.log(`non-idle CPU time: ${summary.totalMs.toFixed(0)} ms`);
  console.table(
    summary.top.map((entry) => ({
      'self ms': entry.selfMs.toFixed(1),
      'self %': entry.selfPercent.toFixed(1),
      function: entry.functionName,
      location: entry.location,
    })),
  );
  console.log('arkgate functions by inclusive time (self + callees):');
  console.table(
    summary.arkgateInclusive.map((entry) => ({
      'incl. ms': entry.selfMs.toFixed(1),
      'incl. %': entry.selfPercent.toFixed(1),
      function: entry.functionName,
      location: entry.location,
    })),
  );
  console.table(
    summary.byArea
      .slice(0, 20)
      .map((row) => ({ area: row.area, 'self %': row.selfPercent.toFixed(1) })),
  );
}
