/** Total tokens of an answer (OpenAI, Responses and app-level shapes). */
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
