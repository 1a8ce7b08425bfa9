import type { tracingConfig } from '../../src/config/tracing.config';
import { parseRedactionRules } from '../../src/tracing/redaction-rules.parser';
import type { FinishedTrace } from '../../src/tracing/trace.model';
import { Tracer } from '../../src/tracing/tracer';

/** Tracing on, no redaction, 50 ms of grace for late spans. */
export const TEST_TRACING_CONFIG = {
  enabled: true,
  captureContent: true,
  redactionRules: parseRedactionRules(undefined),
  maxAttributeBytes: 1_000_000,
  version: 'test',
  environment: 'test',
  spanGraceMs: 50,
} as ReturnType<typeof tracingConfig>;

/** A real Tracer whose finished traces land in `finished` instead of the export queue. */
export function memoryTracer(): { tracer: Tracer; finished: FinishedTrace[] } {
  const finished: FinishedTrace[] = [];
  const tracer = new Tracer(TEST_TRACING_CONFIG, { submit: (trace) => void finished.push(trace) });
  return { tracer, finished };
}
