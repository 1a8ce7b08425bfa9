import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { QueueModule } from '../queue/queue.module';
import { ExportMetricsCollector } from './export-metrics.collector';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { RequestLedgerContext } from './request-ledger.context';
import { ServerTimingHook } from './server-timing.hook';
import { ServerTimingInterceptor } from './server-timing.interceptor';

/** `GET /metrics`, the {@link MetricsService} other features record into, and `Server-Timing`. */
@Global()
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [
    MetricsService,
    HttpMetricsHook,
    ExportMetricsCollector,
    RequestLedgerContext,
    ServerTimingHook,
    { provide: APP_INTERCEPTOR, useClass: ServerTimingInterceptor },
  ],
  exports: [MetricsService, RequestLedgerContext],
})
export class MetricsModule {}
