import { randomBytes } from 'node:crypto';

/** Identifiers shaped like BytePlus's: `021` + epoch milliseconds + random hex. */
export class SimulatorIds {
  static request(): string {
    return `021${Date.now()}${randomBytes(12).toString('hex')}`;
  }

  static prefixed(prefix: string): string {
    return `${prefix}_${randomBytes(12).toString('hex')}`;
  }
}
