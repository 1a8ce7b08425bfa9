export const TRUNCATED_MARKER = 'arkgate.truncated';
const PREVIEW_CHARS = 1_000;
/** UTF-8 spends at most 3 bytes on one UTF-16 code unit (a surrogate pair: 4 bytes for 2). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/** A value whose JSON exceeds `maxBytes` becomes a small marker object with a preview; else unchanged. */
export function truncateAttribute(value: unknown, maxBytes: number): unknown {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return value;
  const json = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  // Most values are far below the limit: only count their bytes when the length cannot tell.
  if (json.length * MAX_UTF8_BYTES_PER_UNIT <= maxBytes) return value;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= maxBytes) return value;
  return { [TRUNCATED_MARKER]: true, original_bytes: bytes, preview: json.slice(0, PREVIEW_CHARS) };
}
