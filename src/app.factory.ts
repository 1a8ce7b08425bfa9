import type { LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/http/validation.pipe';
import { appConfig } from './config/app.config';
import type { LogLevel } from './config/environment-variables.model';
import { setupSwagger } from './docs/swagger.setup';

/** The Nest levels LOG_LEVEL lets through (each level includes the more severe ones). */
const NEST_LOG_LEVELS: Record<LogLevel, NestLogLevel[] | false> = {
  silent: false,
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Builds the API application exactly as `main.ts` serves it; tests use it too. */
export async function createApp(): Promise<NestFastifyApplication> {
  const config = appConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    // arkgate's own request ids are the trace ids; upstream keeps x-request-id.
    requestIdHeader: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: false,
    logger: NEST_LOG_LEVELS[config.logLevel],
  });
  // JSON only: any other body gets 415 from Fastify instead of being parsed as text.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (config.docsEnabled) setupSwagger(app);
  return app;
}
