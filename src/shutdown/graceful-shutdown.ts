import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';

/**
 * SIGTERM: stop accepting, let in-flight requests and SSE streams finish (up to `timeoutMs`, then
 * their connections are cut), and only then run Nest's shutdown hooks, which flush buffered traces
 * to the queue and let the export worker finish its job. Exits 0 when all of that went well.
 *
 * Nest's own `enableShutdownHooks` would run `onModuleDestroy` while streams are still going and
 * re-raise the signal (exit code 143), so arkgate handles the signal itself.
 */
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');
  private started = false;

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly timeoutMs: number,
  ) {}

  listen(signals: NodeJS.Signals[]): void {
    for (const signal of signals) process.once(signal, () => void this.shutdown(signal));
  }

  /** Drains, closes the app, and exits: 0 on a clean close, 1 when closing failed. */
  async shutdown(signal: NodeJS.Signals): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.logger.log(`${signal}: draining in-flight requests (up to ${this.timeoutMs} ms)`);
    const server: Server = this.app.getHttpServer();
    const deadline = setTimeout(() => {
      this.logger.warn('Shutdown deadline reached: closing the connections still open');
      server.closeAllConnections();
    }, this.timeoutMs);
    try {
      await this.app.getHttpAdapter().getInstance().close();
      clearTimeout(deadline);
      await this.app.close();
      this.logger.log('Closed');
      process.exit(0);
    } catch (error) {
      this.logger.error(
        `Shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    }
  }
}
