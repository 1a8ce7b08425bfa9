import type { CacheRequest } from '../cache/response-cache.model';

/** Per-call options for an upstream request. */
export interface LlmCallOptions {
  /** Aborts the upstream HTTP request (the caller went away). */
  signal?: AbortSignal;
  /** Who is asking and what the request says about the response cache (chat completions). */
  cache?: CacheRequest;
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
