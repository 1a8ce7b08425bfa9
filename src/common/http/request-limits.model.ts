/** The request size limits checked at the edge (MAX_MESSAGES, MAX_MESSAGE_CHARS, MAX_TOKENS_CEILING). */
export interface RequestLimits {
  maxMessages: number;
  maxMessageChars: number;
  maxTokensCeiling?: number;
}
