// arkgate playground: the HTTP calls to arkgate, the API key and the browser tokens that stand
// in for it on the chat and feedback routes.

import { KEY_STORAGE, state, userId } from './conversation.js';
import { sseParser } from './sse-parser.js';

/** A token this close to expiry is minted again before a stream opens. */
const TOKEN_MARGIN_MS = 30_000;

/** An HTTP failure of arkgate, with its OpenAI-shaped error body when there is one. */
export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

export function tokensOffMessage() {
  return (
    'Chat needs browser tokens, and they are off on this arkgate (503). The page never sends the ' +
    'API key to the chat or feedback routes: it uses a short-lived token from POST /v1/tokens. ' +
    'Set GATEWAY_TOKEN_SECRET (at least 32 characters) on arkgate and restart it.'
  );
}

// ---------------------------------------------------------------- API key

/** Keeps the key for the next visits; a token minted with the previous key is dropped. */
export function saveApiKey(key) {
  state.apiKey = key;
  state.token = null;
  localStorage.setItem(KEY_STORAGE, key);
}

export function forgetApiKey() {
  localStorage.removeItem(KEY_STORAGE);
  state.apiKey = '';
  state.token = null;
}

// ---------------------------------------------------------------- HTTP

async function errorOf(response) {
  let body;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  return new ApiError(response.status, body, response.headers.get('retry-after'));
}

/** A JSON call. `auth` is 'key' (the API key), a browser token, or null (no credential). */
export async function api(path, { method = 'GET', body, auth = 'key' } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const credential = auth === 'key' ? state.apiKey : auth;
  if (state.config?.authRequired && credential) headers.authorization = `Bearer ${credential}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json };
}

/** The page's settings (GET /playground/config.json, no credential). */
export async function fetchConfig() {
  return (await api('/playground/config.json', { auth: null })).body;
}

// ---------------------------------------------------------------- browser tokens

/** A browser token for the current conversation (a token carries its session and user). */
async function browserToken(fresh = false) {
  const { sessionId } = state.conversation;
  const token = state.token;
  if (
    !fresh &&
    token &&
    token.sessionId === sessionId &&
    token.expiresAt - Date.now() > TOKEN_MARGIN_MS
  ) {
    return token.token;
  }
  const { body } = await api('/v1/tokens', {
    method: 'POST',
    body: { userId: userId(), sessionId },
  });
  state.token = { token: body.token, expiresAt: Date.parse(body.expiresAt), sessionId };
  return body.token;
}

/**
 * Runs `call` with the credential of the chat and feedback routes: none when auth is off, else a
 * browser token, minted again once when arkgate answers 401 (expired or revoked). A second 401
 * reaches the caller, whose `explain` asks for the key again.
 */
export async function withBrowserToken(call) {
  if (!state.config.authRequired) return call(null);
  if (!state.config.tokensEnabled) {
    throw new ApiError(503, { error: { code: 'tokens_not_configured' } });
  }
  const token = await browserToken();
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    return call(await browserToken(true));
  }
}

// ---------------------------------------------------------------- SSE

/** POSTs the chat and hands each SSE event to `onEvent`; throws ApiError on an HTTP error. */
export async function streamChat(body, token, signal, onOpen, onEvent) {
  const headers = { accept: 'text/event-stream', 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch('/v1/chat/stream', {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  onOpen(response);
  const push = sseParser(onEvent);
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    push(decoder.decode(value, { stream: true }));
  }
  push(decoder.decode());
}
