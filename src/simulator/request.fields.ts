import { SimulatorError } from './simulator.error';

export type JsonObject = Record<string, unknown>;

/** Small validators for request bodies that fail with OpenAI-style 400s naming the parameter. */
export class RequestFields {
  static isObject(value: unknown): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  static body(value: unknown): JsonObject {
    if (!RequestFields.isObject(value)) {
      throw SimulatorError.badRequest('The request body must be a JSON object.', null);
    }
    return value;
  }

  static model(body: JsonObject): string {
    const model = body.model;
    if (model === undefined || model === null || model === '')
      throw SimulatorError.missing('model');
    if (typeof model !== 'string')
      throw SimulatorError.badRequest('model must be a string.', 'model');
    return model;
  }

  static boolean(body: JsonObject, key: string): boolean | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean')
      throw SimulatorError.badRequest(`${key} must be a boolean.`, key);
    return value;
  }

  static positiveInteger(body: JsonObject, key: string): number | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw SimulatorError.badRequest(`${key} must be a positive integer.`, key);
    }
    return value as number;
  }

  static oneOf(value: unknown, param: string, allowed: readonly string[]): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw SimulatorError.badRequest(`${param} must be one of ${allowed.join(', ')}.`, param);
    }
    return value;
  }
}
