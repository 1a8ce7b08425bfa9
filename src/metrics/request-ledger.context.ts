import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestLedger } from './request-ledger';

/**
 * The ledger of the request being served (upstream time, target, cache result, cost), reachable
 * from the upstream client's fetch and the LLM layer without passing it down every call, and from
 * the response hooks by request.
 */
@Injectable()
export class RequestLedgerContext {
  private readonly storage = new AsyncLocalStorage<RequestLedger>();
  private readonly byRequest = new WeakMap<object, RequestLedger>();

  /** The ledger of `request`, created on first use. */
  forRequest(request: object): RequestLedger {
    let ledger = this.byRequest.get(request);
    if (!ledger) {
      ledger = new RequestLedger();
      this.byRequest.set(request, ledger);
    }
    return ledger;
  }

  /** The ledger of `request`, if anything recorded one. */
  find(request: object): RequestLedger | undefined {
    return this.byRequest.get(request);
  }

  /** Runs `fn` with `ledger` as the current request's ledger. */
  run<T>(ledger: RequestLedger, fn: () => T): T {
    return this.storage.run(ledger, fn);
  }

  current(): RequestLedger | undefined {
    return this.storage.getStore();
  }
}
