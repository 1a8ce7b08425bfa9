import './common/node-version.guard';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { loadConfig } from './config/arkgate.config';
import { GracefulShutdown } from './shutdown/graceful-shutdown';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.app.port, config.app.host);
  new GracefulShutdown(app, config.operations.shutdownTimeoutMs).listen(['SIGTERM', 'SIGINT']);
  Logger.log(`arkgate listening on ${await app.getUrl()} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name every bad variable; print them plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
