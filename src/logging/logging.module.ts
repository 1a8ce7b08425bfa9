import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../config/app.config';
import { loggerOptions } from './logger-options.factory';
import { RequestLogHook } from './request-log.hook';

/** Structured JSON logs (pino) for Nest's logger and one line per request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) => loggerOptions(config),
    }),
  ],
  providers: [RequestLogHook],
})
export class LoggingModule {}
