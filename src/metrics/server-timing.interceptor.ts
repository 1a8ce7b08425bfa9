import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { RequestLedgerContext } from './request-ledger.context';

/** Makes the request's timing current while its handler runs, so upstream calls add to it. */
@Injectable()
export class ServerTimingInterceptor implements NestInterceptor {
  constructor(private readonly timings: RequestLedgerContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const timing = this.timings.forRequest(context.switchToHttp().getRequest<object>());
    return new Observable((subscriber) =>
      this.timings.run(timing, () => next.handle().subscribe(subscriber)),
    );
  }
}
