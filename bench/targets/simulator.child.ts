/**
 * Child-process entry of the ModelArk simulator, so it never shares an event loop with the load
 * generator. argv[2]: JSON of Partial<SimulatorOptions>. Prints `SIMULATOR_READY <port>`.
 */
import { ModelArkSimulator } from '../../src/simulator/simulator.server';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.model';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Partial<SimulatorOptions>;
  const simulator = await ModelArkSimulator.start({ logRequests: false, ...options });
  process.stdout.write(`SIMULATOR_READY ${simulator.port}\n`);
  const stop = () => void simulator.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
