import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ChatRequestDto } from './chat/chat-request.dto';
import { ChatStreamQueryDto } from './chat/chat-stream-query.dto';
import { RequestLimitsPipe } from './common/http/request-limits.pipe';
import { answerFrameworkError } from './common/errors/framework-errors.handler';
import { createValidationPipe } from './common/http/validation.pipe';
import type { ArkgateConfig } from './config/arkgate.config';
import { setupSwagger } from './docs/swagger.setup';
import { ChatCompletionRequestDto } from './openai-compat/chat-completion-request.dto';
import { ResponsesRequestDto } from './openai-compat/responses-request.dto';
import { addSecurityHeaders } from './security/security-headers.hook';

/**
 * Builds the API application exactly as `main.ts` serves it, from a configuration built once
 * (`loadConfig`); tests build theirs from the variables they want.
 */
export async function createApp(arkgate: ArkgateConfig): Promise<NestFastifyApplication> {
  const { app: config, operations } = arkgate;
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    // arkgate's own request ids are the trace ids; upstream keeps x-request-id.
    requestIdHeader: false,
    // Requests arriving after SIGTERM on a kept-alive connection get 503 while streams finish.
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(arkgate),
    adapter,
    {
      bufferLogs: true,
      // A provider that cannot start (e.g. a bad ROUTES_FILE) rejects here, and main.ts prints
      // its message and exits 1, instead of Nest exiting the process itself.
      abortOnError: false,
    },
  );
  // nestjs-pino keeps one root logger per process, built by the first app; this app's level wins.
  PinoLogger.root.level = config.logLevel;
  app.useLogger(app.get(Logger));
  addSecurityHeaders(app.getHttpAdapter().getInstance());
  if (operations.corsOrigins.length > 0) {
    app.enableCors({
      origin: operations.corsOrigins,
      exposedHeaders: [
        'x-mlflow-trace-id',
        'traceparent',
        'x-request-id',
        'x-arkgate-target',
        'x-arkgate-cache',
      ],
      maxAge: 600,
    });
  }
  // No text bodies: they get 415 instead of being parsed as text. JSON and urlencoded bodies stay
  // (both parsers give dense arrays and no binary values, which the ValidationPipe relies on).
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  const limitedDtos = new Set([
    ChatCompletionRequestDto,
    ChatRequestDto,
    ChatStreamQueryDto,
    ResponsesRequestDto,
  ]);
  app.useGlobalPipes(createValidationPipe(), new RequestLimitsPipe(arkgate.limits, limitedDtos));
  if (config.docsEnabled) setupSwagger(app);
  return app;
}
