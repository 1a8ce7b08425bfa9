/** Per-call options for an upstream request. */
export interface LlmCallOptions {
  /** Aborts the upstream HTTP request (the caller went away). */
  signal?: AbortSignal;
}

/** An upstream answer with BytePlus's request id, which BytePlus support asks for. */
export interface UpstreamResult<T> {
  data: T;
  upstreamRequestId: string | null;
}

/**
 * A chat completion request as arkgate forwards it: `model` and `messages` are known, every
 * other field goes to ModelArk untouched.
 */
export interface ChatParams {
  model?: string;
  messages: object[];
  [field: string]: unknown;
}
