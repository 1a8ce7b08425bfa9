export interface ToolCallAnswer {
  id: string;
  name: string;
  /** JSON text. */
  arguments: string;
  argumentPieces: string[];
}

export interface AnswerUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
  totalTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

/** The simulated model's answer, computed once and rendered as JSON or as a stream. */
export interface Answer {
  reasoning: string;
  reasoningPieces: string[];
  content: string;
  contentPieces: string[];
  toolCall?: ToolCallAnswer;
  finishReason: FinishReason;
  usage: AnswerUsage;
}
