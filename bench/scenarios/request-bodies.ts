/** A small, realistic non-streaming chat request (system + user turn, a couple of parameters). */
export const CHAT_BODY = JSON.stringify({
  model: 'seed-1-6-250615',
  messages: [
    { role: 'system', content: 'You are a concise assistant for an online bookshop.' },
    { role: 'user', content: 'Suggest three science-fiction novels for a long train journey.' },
  ],
  temperature: 0.7,
  max_tokens: 256,
});

/** A streamed chat request; the simulator reads `simulator` for the answer length and pace. */
export function streamBody(tokens: number, tokenDelayMs: number): string {
  return JSON.stringify({
    model: 'seed-1-6-250615',
    messages: [{ role: 'user', content: 'Tell me a long story about a lighthouse keeper.' }],
    stream: true,
    simulator: { tokens, token_delay_ms: tokenDelayMs },
  });
}
