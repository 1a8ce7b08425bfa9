import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportConfig } from '../config/export.config';
import { MetricsService } from './metrics.service';

/**
 * The standalone worker has no API server; this small one lets Prometheus scrape its export
 * metrics (lag, failures, retries) and an orchestrator probe it. It never stops the worker:
 * a port in use is logged and the worker runs on without it.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server?: Server;

  constructor(
    @Inject(exportConfig.KEY) private readonly config: ConfigType<typeof exportConfig>,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { workerMetricsPort: port, workerMetricsHost: host } = this.config;
    if (port === 0) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve) => {
      server.once('error', (error) => {
        this.logger.error(`No /metrics for the worker: ${error.message}`);
        resolve();
      });
      server.listen(port, host, () => {
        this.server = server;
        this.logger.log(`Worker metrics on http://${host}:${port}/metrics`);
        resolve();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || (path !== '/metrics' && path !== '/health/live')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (path === '/health/live') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    try {
      const { contentType, body } = await this.metrics.render();
      response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(body);
    } catch (error) {
      this.logger.warn(`Metrics scrape failed: ${String(error)}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n');
    }
  }
}
