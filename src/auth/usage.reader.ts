/** Total tokens of an answer body or SSE payload (OpenAI, Responses and app-level shapes). */
export function tokensOf(payload: unknown): number {
  if (typeof payload !== 'object' || payload === null) return 0;
  const record = payload as Record<string, unknown>;
  const usage = (record.usage ??
    (record.response as Record<string, unknown> | undefined)?.usage) as
    Record<string, unknown> | undefined;
  if (typeof usage !== 'object' || usage === null) return 0;
  const total = usage.total_tokens ?? usage.totalTokens;
  return typeof total === 'number' && total > 0 ? total : 0;
}

/** Total tokens reported in one SSE chunk of text (its `data:` lines that mention usage). */
export function tokensInSse(text: string): number {
  if (!text.includes('usage')) return 0;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:') || !line.includes('usage')) continue;
    try {
      total += tokensOf(JSON.parse(line.slice(5)));
    } catch {
      // not JSON (e.g. [DONE]): no usage in it
    }
  }
  return total;
}
