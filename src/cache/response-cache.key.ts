import { createHash } from 'node:crypto';

/** Fields that change how an answer is delivered, not what it says: one entry serves both. */
const DELIVERY_FIELDS = new Set(['stream', 'stream_options']);

/** JSON with object keys sorted, so the same request always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cache key of a chat completion request: the caller's scope (its API key's name, so one
 * caller never reads another's answers) and a hash of the request as sent (model, messages,
 * tools and every sampling parameter), whether it asked for a stream or not.
 */
export function responseCacheKey(scope: string, body: Record<string, unknown>): string {
  const request = Object.fromEntries(
    Object.entries(body).filter(([field]) => !DELIVERY_FIELDS.has(field)),
  );
  const hash = createHash('sha256').update(scope).update('\n').update(canonical(request));
  return `arkgate:cache:v1:${hash.digest('hex')}`;
}
