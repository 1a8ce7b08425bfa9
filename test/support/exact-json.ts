const BIG_INTEGER = /^-?\d{16,}$/;

/** JSON.parse that keeps integers beyond 2^53 exact, as decimal strings (reviver source text). */
export function parseExactJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source && BIG_INTEGER.test(context.source)
      ? context.source
      : value,
  );
}
