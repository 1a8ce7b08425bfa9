import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import { SseBody } from '../common/sse/sse-body';
import { RateLimiter } from './rate-limiter';
import { tokensOf } from './usage.reader';

/**
 * Counts the usage an answer reports against its key's tokens-per-minute limit: from the JSON
 * body, or from a stream's outcome once it ended (what its chunks added up to, also the usage
 * arkgate asked for and did not pass on). Never changes or delays the answer.
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
        if (result instanceof SseBody) {
          void result.outcome.then(({ outputs }) =>
            this.limiter.record(principal, tokensOf(outputs)),
          );
        } else {
          void this.limiter.record(principal, tokensOf(result));
        }
      }),
    );
  }
}
