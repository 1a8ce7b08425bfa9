import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, finalize, tap } from 'rxjs';
import { ACCESS_TOKEN_QUERY, CALLER_METADATA } from '../auth/auth.constants';
import { SseBody, type SseOutcome } from '../common/sse/sse-body';
import { ActiveSpan } from './active-span';
import { MlflowSpanAttribute, MlflowTraceMetadata } from '../mlflow/mlflow.constants';
import { requestIdentity } from './request-identity';
import { traceOutputsOf } from './trace-outputs';
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
 * Owns the root CHAIN span of every API request: opens it with the request, records the answer
 * or the exception, and ends it exactly once, when the handler is done or, for a stream, when
 * the stream's outcome is known (completed, failed, or cut short by the client, with the partial
 * answer). Route services return results; they do not touch the root span.
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
    const root = this.openRoot(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
    if (!root) return next.handle();

    let streaming = false;
    return new Observable((subscriber) =>
      this.tracer.run(root, () =>
        next
          .handle()
          .pipe(
            tap({
              next: (result) => {
                if (result instanceof SseBody) {
                  streaming = true;
                  void result.outcome.then((outcome) => this.endStream(root, outcome));
                } else {
                  root.setOutputs(traceOutputsOf(result));
                }
              },
              error: (error: unknown) => root.recordException(error),
            }),
            finalize(() => {
              if (!streaming) root.end();
            }),
          )
          .subscribe(subscriber),
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

  private endStream(root: ActiveSpan, outcome: SseOutcome): void {
    try {
      if (outcome.outputs !== undefined) root.setOutputs(outcome.outputs);
      if (outcome.end === 'failed') root.recordException(outcome.error);
      if (outcome.end === 'aborted') {
        root.addEvent('client_disconnected', { 'arkgate.reason': 'client closed the stream' });
        root.addEvent('stream_aborted', { 'arkgate.items_received': outcome.items });
        root.setStatus('ERROR', 'Client disconnected before the stream completed');
      }
    } finally {
      root.end();
    }
  }
}
