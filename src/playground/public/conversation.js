// arkgate playground: the page's state and the conversation (its history and turn requests).

/** Where the API key is kept between visits (see api.js for how it is saved and forgotten). */
export const KEY_STORAGE = 'arkgate.playground.apiKey';
const USER_STORAGE = 'arkgate.playground.userId';

export function randomId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `messages` are the user and assistant turns as sent back to the model; `prompt` is the registry
 * prompt pinned by the first turn, sent again with every turn (see `chatBody`).
 */
export function newConversation() {
  return { sessionId: randomId('pg-'), messages: [], prompt: null };
}

export const state = {
  config: null,
  apiKey: localStorage.getItem(KEY_STORAGE) || '',
  token: null, // { token, expiresAt (ms), sessionId }
  promptUri: '',
  traceId: null,
  /** The conversation lives in this page only: a reload or "New conversation" starts another. */
  conversation: newConversation(),
  /** The AbortController of the stream in flight, if any. */
  inFlight: null,
};

export function userId() {
  let id = localStorage.getItem(USER_STORAGE);
  if (!id) {
    id = randomId('playground-');
    localStorage.setItem(USER_STORAGE, id);
  }
  return id;
}

/**
 * The request of one turn: the whole conversation so far, and the conversation's registry prompt
 * on every turn. The prompt is rendered by arkgate and never comes back to the page, so sending
 * it only once would lose it from the second turn on; sent each time, a chat prompt's messages
 * lead the conversation and a text prompt is its system message, as on the first turn (a text
 * prompt sent alone is the first user message instead). Nothing is duplicated: the page's
 * history holds only what was typed and answered. `model` is the selected model, if any.
 */
export function chatBody(conversation, model) {
  const body = { sessionId: conversation.sessionId, userId: userId() };
  if (conversation.messages.length > 0) body.messages = conversation.messages;
  if (conversation.prompt) body.prompt = conversation.prompt;
  if (model) body.model = model;
  return body;
}

/** A new conversation replaces the current one; its browser token belongs to the old session. */
export function startNewConversation() {
  state.inFlight?.abort();
  state.inFlight = null;
  state.conversation = newConversation();
  state.token = null;
}
