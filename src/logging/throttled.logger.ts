import { Logger } from '@nestjs/common';

/**
 * A warning that may repeat on every request (a store that is down) written at most once per
 * interval, so the log says it without drowning in it.
 */
export class ThrottledLogger {
  private readonly logger: Logger;
  private lastLogged = 0;

  constructor(
    context: string,
    private readonly intervalMs: number,
  ) {
    this.logger = new Logger(context);
  }

  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastLogged < this.intervalMs) return;
    this.lastLogged = now;
    this.logger.warn(message);
  }
}
