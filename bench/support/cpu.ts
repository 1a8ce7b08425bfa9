import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (100 on Linux almost everywhere). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks (every thread of the process). */
  ticks: number;
}

/** CPU a process has used so far, from /proc/<pid>/stat; undefined once it is gone. */
function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

function readProc(pid: number, file: 'cmdline' | 'comm'): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Which processes a CPU figure covers, chosen from every process's stat. */
export type CpuScope = (stats: ProcStat[]) => ProcStat[];

/** One process alone (its threads included, its children not). */
export function oneProcess(pid: number | undefined): CpuScope {
  return (stats) => stats.filter((stat) => stat.pid === pid);
}

/** A process and all its descendants (MLflow's uvicorn workers, setpriv's redis-server). */
export function processTree(pid: number | undefined): CpuScope {
  return (stats) => {
    const tree = new Set(pid === undefined ? [] : [pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const stat of stats) {
        if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
          tree.add(stat.pid);
          grew = true;
        }
      }
    }
    return stats.filter((stat) => tree.has(stat.pid));
  };
}

/** Every process named `comm` whose command line (a PostgreSQL backend's title) holds `text`. */
export function processesNamed(comm: string, text = ''): CpuScope {
  return (stats) =>
    stats.filter(
      (stat) => readProc(stat.pid, 'comm') === comm && readProc(stat.pid, 'cmdline').includes(text),
    );
}

export interface CpuUse {
  cpuSeconds: number;
  /** cpuSeconds over the window's wall time: how many cores it kept busy. */
  cores: number;
}

export interface CpuWindowResult<K extends string> {
  seconds: number;
  cpu: Record<K, CpuUse>;
  /** The whole machine's busy time (/proc/stat), everyone's processes included. */
  machine: CpuUse;
}

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // cpu user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + (steal ?? 0);
}

/**
 * CPU seconds each scope's processes use from now until stop(): per process, its ticks at the end
 * minus its ticks at the start (0 for one started meanwhile); a process that exits in between is
 * left out.
 */
export function startCpuWindow<K extends string>(
  scopes: Record<K, CpuScope>,
): { stop(): CpuWindowResult<K> } {
  const names = Object.keys(scopes) as K[];
  const snapshot = () => {
    const stats = allStats();
    return new Map(
      names.map((name) => [
        name,
        new Map(scopes[name](stats).map((stat) => [stat.pid, stat.ticks] as const)),
      ]),
    );
  };
  const startedAt = performance.now();
  const startMachine = machineBusyTicks();
  const start = snapshot();
  return {
    stop() {
      const end = snapshot();
      const seconds = (performance.now() - startedAt) / 1000;
      const use = (ticks: number): CpuUse => ({
        cpuSeconds: ticks / TICKS_PER_SECOND,
        cores: ticks / TICKS_PER_SECOND / seconds,
      });
      const cpu = {} as Record<K, CpuUse>;
      for (const name of names) {
        const before = start.get(name) ?? new Map<number, number>();
        let ticks = 0;
        for (const [pid, now] of end.get(name) ?? []) ticks += now - (before.get(pid) ?? 0);
        cpu[name] = use(ticks);
      }
      return { seconds, cpu, machine: use(machineBusyTicks() - startMachine) };
    },
  };
}
