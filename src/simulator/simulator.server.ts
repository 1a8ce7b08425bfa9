import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestLog } from './request.log';
import { RequestPipeline } from './request.pipeline';
import { ScenarioGate } from './scenario.gate';
import { SimulatorAdminHandler } from './simulator-admin.handler';
import { SimulatorExchange } from './simulator.exchange';
import { SimulatorIds } from './simulator.ids';
import { DEFAULT_SIMULATOR_OPTIONS, SimulatorOptions } from './simulator-options.model';
import { SimulatorRequest } from './simulator-request.model';

const DEFAULT_WAIT_MS = 2000;

/**
 * A standalone, OpenAI-compatible stand-in for BytePlus ModelArk, on plain `node:http`, for tests,
 * the demo and benchmarks.
 */
export class ModelArkSimulator {
  private closing?: Promise<void>;

  private constructor(
    private readonly server: Server,
    readonly options: SimulatorOptions,
    private readonly log: RequestLog,
    private readonly gate: ScenarioGate,
  ) {}

  /** Starts listening; port 0 (the default) picks a free port. */
  static async start(options: Partial<SimulatorOptions> = {}): Promise<ModelArkSimulator> {
    const defined = Object.entries(options).filter(([, value]) => value !== undefined);
    const resolved: SimulatorOptions = {
      ...DEFAULT_SIMULATOR_OPTIONS,
      ...Object.fromEntries(defined),
    };
    const log = new RequestLog(resolved.logRequests, resolved.maxLoggedRequests);
    const gate = new ScenarioGate();
    const pipeline = new RequestPipeline(resolved, gate);
    const admin = new SimulatorAdminHandler(log, () => {
      log.reset();
      gate.reset();
    });
    const server = createServer((req, res) => {
      ModelArkSimulator.accept(req, res, { log, pipeline, admin });
    });
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new ModelArkSimulator(server, resolved, log, gate);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Base URL for an OpenAI client, ending in `/api/v3` like BytePlus's. */
  get url(): string {
    const host = ['0.0.0.0', '::'].includes(this.options.host) ? '127.0.0.1' : this.options.host;
    const authority = host.includes(':') ? `[${host}]` : host;
    return `http://${authority}:${this.port}/api/v3`;
  }

  /** Requests received so far, oldest first (empty when `logRequests` is off). */
  get requests(): readonly SimulatorRequest[] {
    return this.log.requests;
  }

  /** Forgets logged requests and the keys `fail-once` has already failed. */
  reset(): void {
    this.log.reset();
    this.gate.reset();
  }

  /** Resolves with the first logged request matching `predicate`, waiting up to `timeoutMs`. */
  waitFor(
    predicate: (request: SimulatorRequest, index: number) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<SimulatorRequest> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  /** Resolves once the request at `requestIndex` (any request when omitted) was aborted by its client. */
  waitForAbort(requestIndex?: number, timeoutMs = DEFAULT_WAIT_MS): Promise<SimulatorRequest> {
    return this.log.waitFor(
      (request, index) => request.aborted && (requestIndex === undefined || index === requestIndex),
      timeoutMs,
    );
  }

  /** Stops listening and destroys open connections, hanging requests included. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private static accept(
    req: IncomingMessage,
    res: ServerResponse,
    parts: { log: RequestLog; pipeline: RequestPipeline; admin: SimulatorAdminHandler },
  ): void {
    const id = SimulatorIds.request();
    res.setHeader('x-request-id', id);
    const path = (req.url ?? '/').split('?')[0];
    if (parts.admin.handles(path)) return parts.admin.handle(req, res, path);
    const record: SimulatorRequest = {
      id,
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: undefined,
      aborted: false,
      completed: false,
    };
    parts.log.add(record);
    const exchange = new SimulatorExchange(req, res, record, () => parts.log.changed());
    void parts.pipeline.handle(exchange);
  }
}
