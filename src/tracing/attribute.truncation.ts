export const TRUNCATED_MARKER = 'arkgate.truncated';
const PREVIEW_CHARS = 1_000;

/** A value whose JSON exceeds `maxBytes` becomes a small marker object with a preview; else unchanged. */
export function truncateAttribute(value: unknown, maxBytes: number): unknown {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return value;
  const json = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= maxBytes) return value;
  return { [TRUNCATED_MARKER]: true, original_bytes: bytes, preview: json.slice(0, PREVIEW_CHARS) };
}
