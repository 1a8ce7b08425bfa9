import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { QueueModule } from '../queue/queue.module';
import { Tracer } from './tracer';
import { TracingInterceptor } from './tracing.interceptor';

/** Spans and traces for every API request; finished traces go to the export queue. */
@Global()
@Module({
  imports: [QueueModule],
  providers: [Tracer, { provide: APP_INTERCEPTOR, useClass: TracingInterceptor }],
  exports: [Tracer],
})
export class TracingModule {}
