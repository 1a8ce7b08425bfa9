import './common/node-version.guard';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from './config/arkgate.config';
import { FeedbackService } from './feedback/feedback.service';
import { PromptCacheRefresher } from './prompts/prompt-cache.refresher';
import { TraceExportService } from './queue/trace-export.service';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.export.redis) {
    throw new Error(
      'The export worker needs Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES): it consumes the BullMQ queues there.',
    );
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.get(TraceExportService).startWorker();
  app.get(FeedbackService).startWorker();
  app.get(PromptCacheRefresher).startWorker();
  const logger = new NestLogger('Bootstrap');
  logger.log('arkgate export worker running');

  // SIGTERM: the workers finish the jobs in hand, the connections close, and the process exits 0.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the jobs in hand`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
