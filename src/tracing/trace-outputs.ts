const outputsOf = new WeakMap<object, unknown>();

/**
 * Marks what the root span records as a route's outputs when that is not the answer itself
 * (e.g. a summary instead of every embedding vector); returns `result` unchanged.
 */
export function withTraceOutputs<T extends object>(result: T, outputs: unknown): T {
  outputsOf.set(result, outputs);
  return result;
}

/** The outputs the root span records for `result`. */
export function traceOutputsOf(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !outputsOf.has(result)) return result;
  return outputsOf.get(result);
}
