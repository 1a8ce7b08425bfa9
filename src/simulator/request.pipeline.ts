import { createHash } from 'node:crypto';
import { ReplyWriter } from './reply.writer';
import { RequestBodyReader } from './request-body.reader';
import { RequestFields } from './request.fields';
import { ScenarioGate } from './scenario.gate';
import { SimulatorControlParser } from './simulator-control.parser';
import { SimulatorError } from './simulator.error';
import { SimulatorExchange } from './simulator.exchange';
import { SimulatorOptions } from './simulator-options.model';
import { SimulatorRouter } from './simulator.router';

/**
 * Everything between a request arriving and its reply: body, auth, route, control, scenarios,
 * latency, handler, writer. Failures become error envelopes; nothing escapes to crash the server.
 */
export class RequestPipeline {
  private readonly router = new SimulatorRouter();
  private readonly controls = new SimulatorControlParser();
  private readonly writer = new ReplyWriter();
  private readonly bodies: RequestBodyReader;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly gate: ScenarioGate,
  ) {
    this.bodies = new RequestBodyReader(options.maxBodyBytes);
  }

  async handle(exchange: SimulatorExchange): Promise<void> {
    try {
      await this.run(exchange);
    } catch (error) {
      this.fail(exchange, error);
    }
  }

  private async run(exchange: SimulatorExchange): Promise<void> {
    const { req, record } = exchange;
    const raw = await this.bodies.read(req);
    const body = this.parse(raw);
    exchange.update(() => (record.body = body.value));
    this.authorize(req.headers.authorization);
    const route = this.router.resolve(record.method, record.path);
    if (body.error) throw body.error;
    const control = this.controls.parse(req.headers['x-simulator'], body.value);
    if (control.scenario === 'hang') return;
    if (!(await exchange.pause(control.latencyMs ?? this.options.latencyMs))) return;
    this.gate.check(control, {
      key: createHash('sha256').update(`${record.path}\n`).update(raw).digest('hex'),
      model: this.model(body.value),
    });
    const reply = route.handler.handle({
      requestId: record.id,
      body: body.value,
      control,
      params: route.params,
    });
    await this.writer.write(exchange, reply, {
      tokenDelayMs: control.tokenDelayMs ?? this.options.tokenDelayMs,
      scenario: control.scenario,
    });
  }

  private parse(raw: Buffer): { value: unknown; error?: SimulatorError } {
    if (raw.length === 0) return { value: undefined };
    try {
      return { value: JSON.parse(raw.toString('utf8')) };
    } catch {
      const message = 'The request body is not valid JSON.';
      return { value: undefined, error: SimulatorError.badRequest(message, null, 'InvalidJson') };
    }
  }

  private model(body: unknown): string | undefined {
    return RequestFields.isObject(body) && typeof body.model === 'string' ? body.model : undefined;
  }

  private authorize(authorization: string | undefined): void {
    const { apiKey } = this.options;
    if (apiKey === undefined || authorization === `Bearer ${apiKey}`) return;
    throw new SimulatorError(
      401,
      'AuthenticationError',
      'The API key in the request is missing or invalid.',
    );
  }

  private fail(exchange: SimulatorExchange, error: unknown): void {
    if (!exchange.isOpen) return;
    if (exchange.headersSent) return exchange.cut();
    const known =
      error instanceof SimulatorError
        ? error
        : new SimulatorError(500, 'InternalServiceError', `The simulator failed: ${String(error)}`);
    exchange.sendJson(known.status, known.toBody(exchange.record.id), known.headers);
  }
}
