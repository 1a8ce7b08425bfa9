import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Tracer } from './tracer';
import { TracingInterceptor } from './tracing.interceptor';

/** Spans and traces for every API request; finished traces go to the global TRACE_SINK. */
@Global()
@Module({
  providers: [Tracer, { provide: APP_INTERCEPTOR, useClass: TracingInterceptor }],
  exports: [Tracer],
})
export class TracingModule {}
