import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { requestIdentity } from '../tracing/request-identity';
import { TRACE_ID_HEADER } from '../tracing/tracing.constants';

/**
 * One line per answered request: method, route template, status, duration, trace id and caller.
 * No bodies, no query string (it may carry a browser token), no headers.
 */
@Injectable()
export class RequestLogHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectPinoLogger('HTTP') private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      this.log(request, reply);
      done();
    });
  }

  private log(request: FastifyRequest, reply: FastifyReply): void {
    const { sessionId, userId } = requestIdentity(request);
    const traceId = reply.getHeader(TRACE_ID_HEADER);
    const status = reply.statusCode;
    const line = {
      method: request.method,
      route: request.routeOptions?.url ?? 'unmatched',
      status,
      durationMs: Math.round(reply.elapsedTime),
      traceId: typeof traceId === 'string' ? traceId : undefined,
      caller: request.principal?.name,
      userId,
      sessionId,
      aborted: reply.raw.writableFinished ? undefined : true,
    };
    const message = `${line.method} ${line.route} ${status}`;
    if (status >= 500) this.logger.error(line, message);
    else if (status >= 400) this.logger.warn(line, message);
    else this.logger.info(line, message);
  }
}
