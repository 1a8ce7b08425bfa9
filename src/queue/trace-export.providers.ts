import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { exportConfig } from '../config/export.config';
import { BullmqTraceExportDriver } from './bullmq-trace-export.driver';
import { InProcessTraceExportDriver } from './in-process-trace-export.driver';
import { TRACE_EXPORT_DRIVER, TRACE_EXPORT_HANDLER } from './queue.constants';
import { createRedisConnection } from './redis-connection.factory';
import type { TraceExportDriver, TraceExportHandler } from './trace-export.driver';

/** BullMQ on Redis when REDIS_URL is set, else the in-process queue. */
export const traceExportDriverProvider: FactoryProvider<TraceExportDriver> = {
  provide: TRACE_EXPORT_DRIVER,
  inject: [exportConfig.KEY, TRACE_EXPORT_HANDLER],
  useFactory: (config: ConfigType<typeof exportConfig>, handler: TraceExportHandler) =>
    config.redisUrl
      ? new BullmqTraceExportDriver(createRedisConnection(config.redisUrl, 'producer'), {
          maxAttempts: config.maxAttempts,
          keepCompleted: config.keepCompleted,
          keepFailed: config.keepFailed,
        })
      : new InProcessTraceExportDriver(handler, {
          concurrency: config.concurrency,
          maxAttempts: config.maxAttempts,
          retryBaseMs: config.retryBaseMs,
          retryMaxDelayMs: config.retryMaxDelayMs,
          capacity: config.bufferSize,
        }),
};
