import '../common/node-version.guard';
import { SimulatorEnvReader } from './simulator-env.reader';
import { ModelArkSimulator } from './simulator.server';

// The simulator runs on its own, outside the Nest app, so it reads its few variables here.
async function main(): Promise<void> {
  const simulator = await ModelArkSimulator.start(new SimulatorEnvReader(process.env).read());
  console.log(`ModelArk simulator listening on ${simulator.url}`);
  const stop = (signal: NodeJS.Signals) => {
    console.log(`ModelArk simulator stopping (${signal})`);
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
