import { APIUserAbortError } from 'openai';
import type { ActiveSpan } from '../tracing/active-span';
import type { SpanType } from '../tracing/trace.model';
import type { Tracer } from '../tracing/tracer';

/** Opens an LLM span under the current span: the request as inputs, plus `attributes`. */
export function startLlmSpan(
  tracer: Tracer,
  name: string,
  type: SpanType,
  inputs: Record<string, unknown>,
  attributes: Record<string, unknown>,
): ActiveSpan | null {
  const span = tracer.startSpan(name, type);
  span?.setInputs(inputs).setAttributes(attributes);
  return span;
}

/** Records a failed upstream call; a caller that went away is not an exception. */
export function recordLlmFailure(span: ActiveSpan | null, error: unknown): void {
  if (!span) return;
  if (error instanceof APIUserAbortError) {
    span.addEvent('client_disconnected').setStatus('ERROR', 'The caller went away');
  } else {
    span.recordException(error);
  }
}
