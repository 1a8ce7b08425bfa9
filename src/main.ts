import './common/node-version.guard';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { appConfig } from './config/app.config';
import { operationsConfig } from './config/operations.config';
import { GracefulShutdown } from './shutdown/graceful-shutdown';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const { host, port } = appConfig();
  await app.listen(port, host);
  new GracefulShutdown(app, operationsConfig().shutdownTimeoutMs).listen(['SIGTERM', 'SIGINT']);
  Logger.log(`arkgate listening on ${await app.getUrl()} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name every bad variable; print them plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
