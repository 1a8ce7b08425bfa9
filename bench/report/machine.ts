import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { MachineInfo } from './results.model';

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${type()} ${release()}`,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
