import { PassThrough } from 'node:stream';

/** How a relayed stream ended. */
export type SseStreamEnd = 'completed' | 'failed' | 'aborted';

/** What a relayed stream came to, once it ended. */
export interface SseOutcome {
  end: SseStreamEnd;
  /** Why it failed (`end: 'failed'`): the error its last event reported. */
  error?: unknown;
  /** What its items add up to, also when it was cut short: the root span's outputs. */
  outputs: unknown;
  /** Items taken from the source, relayed or not. */
  items: number;
}

/**
 * The body of a Server-Sent Events answer: a readable stream for Fastify, and the promise of its
 * outcome for whoever records the request (the root span, the token rate limit). The outcome
 * settles exactly once, after the last byte was written or the client went away.
 */
export class SseBody extends PassThrough {
  readonly outcome: Promise<SseOutcome>;
  private resolveOutcome!: (outcome: SseOutcome) => void;

  constructor() {
    super();
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }

  /** Settles {@link outcome}; later calls are ignored. */
  settle(outcome: SseOutcome): void {
    this.resolveOutcome(outcome);
  }
}
