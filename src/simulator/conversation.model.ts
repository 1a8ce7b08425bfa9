/** One message or input item, reduced to what the simulator's answer depends on. */
export interface ConversationTurn {
  role: string;
  text: string;
  images: number;
}

export interface ToolSpec {
  name: string;
  /** JSON schema of the arguments. */
  parameters?: unknown;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** A chat completions or responses request, normalized. */
export interface Conversation {
  model: string;
  turns: ConversationTurn[];
  tools: ToolSpec[];
  toolChoice: ToolChoice;
  reasoning: boolean;
  /** Limit on the answer alone (chat `max_tokens`). */
  maxAnswerTokens?: number;
  /** Limit on reasoning plus answer (`max_completion_tokens`, `max_output_tokens`). */
  maxOutputTokens?: number;
}
