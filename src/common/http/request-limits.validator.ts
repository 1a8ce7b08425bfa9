import { GatewayErrorCode } from '../errors/gateway-error-code.enum';
import { GatewayError } from '../errors/gateway.error';
import { RequestLimits } from './request-limits.model';

const TOKEN_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

function tooLarge(message: string, param: string): GatewayError {
  return new GatewayError(message, {
    status: 400,
    code: GatewayErrorCode.InvalidRequest,
    type: 'invalid_request_error',
    param,
  });
}

/** Characters of text in a message's content: the string, or the sum of its parts' `text`. */
export function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content as unknown[]) {
    const text = (part as { text?: unknown } | null)?.text;
    if (typeof text === 'string') total += text.length;
  }
  return total;
}

function checkMessages(messages: unknown, field: string, limits: RequestLimits): void {
  if (!Array.isArray(messages)) return;
  if (messages.length > limits.maxMessages) {
    throw tooLarge(
      `${field} has ${messages.length} items; at most ${limits.maxMessages} are allowed`,
      field,
    );
  }
  messages.forEach((message: unknown, index) => {
    const chars = contentChars((message as { content?: unknown } | null)?.content);
    if (chars > limits.maxMessageChars) {
      throw tooLarge(
        `${field}.${index}.content has ${chars} characters; at most ${limits.maxMessageChars} are allowed`,
        `${field}.${index}.content`,
      );
    }
  });
}

function checkText(text: unknown, field: string, limits: RequestLimits): void {
  if (typeof text === 'string' && text.length > limits.maxMessageChars) {
    throw tooLarge(
      `${field} has ${text.length} characters; at most ${limits.maxMessageChars} are allowed`,
      field,
    );
  }
}

/** Throws a 400 (OpenAI's shape, naming the field as `param`) when a chat request exceeds a limit. */
export function checkRequestLimits(request: Record<string, unknown>, limits: RequestLimits): void {
  checkMessages(request.messages, 'messages', limits);
  checkMessages(request.input, 'input', limits);
  checkText(request.input, 'input', limits);
  checkText(request.instructions, 'instructions', limits);
  const ceiling = limits.maxTokensCeiling;
  if (ceiling === undefined) return;
  for (const field of TOKEN_FIELDS) {
    const value = request[field];
    if (typeof value === 'number' && value > ceiling) {
      throw tooLarge(`${field} must not be greater than ${ceiling}`, field);
    }
  }
}
