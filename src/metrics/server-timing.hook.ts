import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { RequestLedger } from './request-ledger';
import { RequestLedgerContext } from './request-ledger.context';

/**
 * Every answer carries `Server-Timing`: time spent upstream and in total, so arkgate's own
 * overhead (total minus upstream) is visible per request. For a stream, both stop when the
 * headers leave, i.e. at the first byte. A call to a model alias also says which target served
 * it (`x-arkgate-target`).
 */
@Injectable()
export class ServerTimingHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly timings: RequestLedgerContext,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const timing = this.timings.find(request) ?? new RequestLedger();
      void reply.header('server-timing', timing.header(reply.elapsedTime));
      if (timing.servedBy) void reply.header('x-arkgate-target', timing.servedBy);
      if (timing.cache) void reply.header('x-arkgate-cache', timing.cache);
      done(null, payload);
    });
  }
}
