export interface SseEvent {
  /** SSE `event:` name; chat completions chunks have none. */
  event?: string;
  data: unknown;
  /** Token-carrying events wait `tokenDelayMs` before they are written. */
  paced?: boolean;
}

/** What a route answers, before pacing and stream scenarios are applied by the reply writer. */
export type SimulatorReply =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'sse'; events: SseEvent[]; done: boolean };
