import type { BreakerSettings } from './model-route.model';

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * One target's health: `failures` failures in a row open it, and it stays out for `cooldownMs`;
 * then one trial call (half open) closes it again on success or reopens it on failure.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt?: number;
  private trialUnderWay = false;

  constructor(
    private settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Settings read again from the routes file; the state is kept. */
  update(settings: BreakerSettings): void {
    this.settings = settings;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.settings.cooldownMs ? 'half_open' : 'open';
  }

  /** When an open breaker lets its trial call through. */
  get reopensAt(): number {
    return (this.openedAt ?? 0) + this.settings.cooldownMs;
  }

  /** True when a call may go to the target now; a half-open breaker lets one through at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialUnderWay) return false;
    this.trialUnderWay = true;
    return true;
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.trialUnderWay = false;
  }

  failed(): void {
    this.consecutiveFailures += 1;
    if (this.trialUnderWay || this.consecutiveFailures >= this.settings.failures) {
      this.openedAt = this.now();
    }
    this.trialUnderWay = false;
  }

  /** A call that ended without saying anything of the target's health (e.g. the caller left). */
  released(): void {
    this.trialUnderWay = false;
  }
}
