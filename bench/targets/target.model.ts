/** Something the load generator can send chat completions to. */
export interface ChatTarget {
  /** Short label used in tables: direct, bare, arkgate-on, arkgate-off, portkey. */
  name: string;
  /** Full URL of the chat completions route. */
  chatUrl: string;
  /** Extra request headers (Portkey's provider routing). */
  headers: Record<string, string>;
  /** The process serving it, for RSS. */
  readonly pid?: number;
  /** Restarts the process if it died (arkgate only); true when it had to. */
  ensureAlive?: () => Promise<boolean>;
}
