import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import { ACCESS_TOKEN_QUERY, CALLER_METADATA } from '../auth/auth.constants';
import { ActiveSpan } from './active-span';
import { MlflowSpanAttribute, MlflowTraceMetadata } from '../mlflow/mlflow.constants';
import { requestIdentity } from './request-identity';
import { formatTraceParent, parseRemoteParent } from './trace-ids';
import { Tracer } from './tracer';
import { SKIP_TRACING, TRACE_ID_HEADER } from './tracing.constants';

/** A browser token in the query string must never reach a trace. */
function withoutAccessToken(query: unknown): unknown {
  if (typeof query !== 'object' || query === null || !(ACCESS_TOKEN_QUERY in query)) return query;
  const { [ACCESS_TOKEN_QUERY]: _token, ...rest } = query as Record<string, unknown>;
  return rest;
}

/**
 * Opens the root CHAIN span of every API request and ends it when the answer (or the stream)
 * ends, fails, or the client goes away.
 */
@Injectable()
export class TracingInterceptor implements NestInterceptor {
  constructor(
    private readonly tracer: Tracer,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.tracer.enabled) return next.handle();
    const skip = this.reflector.getAllAndOverride<boolean>(SKIP_TRACING, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (skip) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const root = this.openRoot(request, reply);
    if (!root) return next.handle();

    return new Observable((subscriber) =>
      this.tracer.run(root, () =>
        next.handle().subscribe({
          next: (result) => {
            this.onResult(root, reply, result);
            subscriber.next(result);
          },
          error: (error: unknown) => {
            root.recordException(error).end();
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        }),
      ),
    );
  }

  private openRoot(request: FastifyRequest, reply: FastifyReply): ActiveSpan | null {
    const route = request.routeOptions?.url ?? request.url.split('?')[0];
    const { sessionId, userId } = requestIdentity(request);
    const metadata: Record<string, string> = {};
    if (sessionId) metadata[MlflowTraceMetadata.session] = sessionId;
    if (userId) metadata[MlflowTraceMetadata.user] = userId;
    if (request.principal) metadata[CALLER_METADATA] = request.principal.name;
    const root = this.tracer.startTrace(`${request.method} ${route}`, {
      remoteParent: parseRemoteParent(request.headers.traceparent),
      metadata,
    });
    if (!root) return null;
    root.setInputs(request.method === 'GET' ? withoutAccessToken(request.query) : request.body);
    if (sessionId) root.setAttribute(MlflowSpanAttribute.sessionId, sessionId);
    if (userId) root.setAttribute(MlflowSpanAttribute.userId, userId);
    void reply.header(TRACE_ID_HEADER, root.trace.traceId);
    void reply.header('traceparent', formatTraceParent(root.trace.otelTraceId, root.spanId));
    return root;
  }

  private onResult(root: ActiveSpan, reply: FastifyReply, result: unknown): void {
    if (!(result instanceof Readable)) {
      if (!root.hasOutputs) root.setOutputs(result);
      root.end();
      return;
    }
    // A stream: the route's service records the aggregated answer; the span ends with the socket.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) {
        root.addEvent('client_disconnected', { 'arkgate.reason': 'client closed the stream' });
        root.setStatus('ERROR', 'Client disconnected before the stream completed');
      }
      root.end();
    });
  }
}
