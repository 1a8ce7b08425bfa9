import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestTiming } from './request-timing';

/**
 * The timing of the request being served, reachable from the upstream client's fetch without
 * passing it down every call, and from the response hook by request.
 */
@Injectable()
export class RequestTimingContext {
  private readonly storage = new AsyncLocalStorage<RequestTiming>();
  private readonly byRequest = new WeakMap<object, RequestTiming>();

  /** The timing of `request`, created on first use. */
  forRequest(request: object): RequestTiming {
    let timing = this.byRequest.get(request);
    if (!timing) {
      timing = new RequestTiming();
      this.byRequest.set(request, timing);
    }
    return timing;
  }

  /** The timing of `request`, if anything recorded one. */
  find(request: object): RequestTiming | undefined {
    return this.byRequest.get(request);
  }

  /** Runs `fn` with `timing` as the current request's timing. */
  run<T>(timing: RequestTiming, fn: () => T): T {
    return this.storage.run(timing, fn);
  }

  current(): RequestTiming | undefined {
    return this.storage.getStore();
  }
}
