import {
  SIMULATOR_SCENARIOS,
  SimulatorControl,
  SimulatorScenario,
} from './simulator-control.model';
import { SimulatorError } from './simulator.error';

const PARAM = 'simulator';
/** Bounds the answer a single request can make the simulator build in memory. */
const MAX_TOKENS = 100_000;

/** Reads the per-request control object from the `x-simulator` header and the body field `simulator`. */
export class SimulatorControlParser {
  /** Header fields win over body fields; a malformed control is a 400 so typos surface in tests. */
  parse(header: string | string[] | undefined, body: unknown): SimulatorControl {
    const fromBody = this.bodyControl(body);
    const fromHeader = this.headerControl(header);
    const control = this.validate({ ...fromBody, ...fromHeader });
    // A scenario limited to some models leaves requests for the others alone.
    if (control.models && !control.models.includes(this.modelOf(body))) delete control.scenario;
    return control;
  }

  private modelOf(body: unknown): string {
    const model = (body as { model?: unknown } | null)?.model;
    return typeof model === 'string' ? model : '';
  }

  private headerControl(header: string | string[] | undefined): Record<string, unknown> {
    const text = Array.isArray(header) ? header[0] : header;
    if (text === undefined || text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw SimulatorError.badRequest('The x-simulator header is not valid JSON.', 'x-simulator');
    }
    return this.asObject(parsed, 'x-simulator');
  }

  private bodyControl(body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || !(PARAM in body)) return {};
    return this.asObject((body as Record<string, unknown>)[PARAM], PARAM);
  }

  private asObject(value: unknown, param: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw SimulatorError.badRequest(`${param} must be a JSON object.`, param);
    }
    return value as Record<string, unknown>;
  }

  private validate(raw: Record<string, unknown>): SimulatorControl {
    const control: SimulatorControl = {
      retryAfter: this.number(raw, 'retry_after'),
      retryAfterMs: this.number(raw, 'retry_after_ms'),
      latencyMs: this.number(raw, 'latency_ms'),
      tokenDelayMs: this.number(raw, 'token_delay_ms'),
      tokens: this.number(raw, 'tokens', true),
    };
    if (raw.scenario !== undefined) control.scenario = this.scenario(raw.scenario);
    if (raw.key !== undefined) {
      if (typeof raw.key !== 'string') throw this.invalid('key', 'a string');
      control.key = raw.key;
    }
    if (raw.models !== undefined) {
      const models = raw.models;
      if (!Array.isArray(models) || !models.every((model) => typeof model === 'string')) {
        throw this.invalid('models', 'an array of model names');
      }
      control.models = models;
    }
    return control;
  }

  private scenario(value: unknown): SimulatorScenario {
    const known = SIMULATOR_SCENARIOS as readonly unknown[];
    if (!known.includes(value)) throw this.invalid('scenario', `one of ${known.join(', ')}`);
    return value as SimulatorScenario;
  }

  private number(raw: Record<string, unknown>, field: string, count = false) {
    const value = raw[field];
    if (value === undefined) return undefined;
    const valid = count
      ? Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TOKENS
      : typeof value === 'number' && Number.isFinite(value) && value >= 0;
    if (!valid)
      throw this.invalid(field, count ? `an integer from 1 to ${MAX_TOKENS}` : 'a number >= 0');
    return value as number;
  }

  private invalid(field: string, expected: string) {
    return SimulatorError.badRequest(`${PARAM}.${field} must be ${expected}.`, `${PARAM}.${field}`);
  }
}
