import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Observable, tap } from 'rxjs';
import type { Principal } from './principal.model';
import { RateLimiter } from './rate-limiter';
import { tokensInSse, tokensOf } from './usage.reader';

/**
 * Counts the usage an answer reports against its key's tokens-per-minute limit: from the JSON
 * body, or from the SSE events as they are written. Never changes or delays the answer.
 */
@Injectable()
export class UsageInterceptor implements NestInterceptor {
  constructor(private readonly limiter: RateLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal || this.limiter.limitsOf(principal).tpm === 0) return next.handle();
    return next.handle().pipe(
      tap((result) => {
        if (result instanceof Readable) this.watch(result, principal);
        else void this.limiter.record(principal, tokensOf(result));
      }),
    );
  }

  /** Observes what the route pushes into its SSE body, without reading from it. */
  private watch(stream: Readable, principal: Principal): void {
    let tokens = 0;
    const push = stream.push.bind(stream);
    stream.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) tokens += tokensInSse(String(chunk));
      return push(chunk, encoding);
    };
    stream.once('close', () => void this.limiter.record(principal, tokens));
  }
}
