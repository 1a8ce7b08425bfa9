import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exportConfig } from './config/export.config';
import { FeedbackService } from './feedback/feedback.service';
import { PromptCacheRefresher } from './prompts/prompt-cache.refresher';
import { TraceExportService } from './queue/trace-export.service';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  if (!exportConfig().redisUrl) {
    throw new Error('The export worker needs REDIS_URL: it consumes the BullMQ queue in Redis.');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks();
  app.get(TraceExportService).startWorker();
  app.get(FeedbackService).startWorker();
  app.get(PromptCacheRefresher).startWorker();
  Logger.log('arkgate export worker running', 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
