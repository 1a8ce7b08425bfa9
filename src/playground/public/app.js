/* global document */
// arkgate playground: a multi-turn chat streamed over SSE (fetch POST /v1/chat/stream), the
// trace of each answer, feedback. No build step, no inline script (CSP script-src 'self'); model
// output is only ever added as text nodes.

const KEY_STORAGE = 'arkgate.playground.apiKey';
const USER_STORAGE = 'arkgate.playground.userId';
/** A token this close to expiry is minted again before a stream opens. */
const TOKEN_MARGIN_MS = 30_000;

const $ = (id) => document.getElementById(id);
const ui = {
  banner: $('error-banner'),
  keyForm: $('api-key-form'),
  keyInput: $('api-key-input'),
  keyChange: $('api-key-change'),
  chat: $('chat'),
  model: $('model-select'),
  prompt: $('prompt-select'),
  variables: $('prompt-variables'),
  transcript: $('transcript'),
  usage: $('usage'),
  traceLink: $('trace-link'),
  up: $('feedback-up'),
  down: $('feedback-down'),
  feedbackStatus: $('feedback-status'),
  form: $('message-form'),
  input: $('message-input'),
  send: $('send-button'),
  stop: $('stop-button'),
  sessionId: $('session-id'),
  newSession: $('new-session'),
};

const state = {
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

/** An HTTP failure of arkgate, with its OpenAI-shaped error body when there is one. */
class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

function randomId(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `messages` are the user and assistant turns as sent back to the model; `prompt` is the registry
 * prompt pinned by the first turn, sent again with every turn (see `chatBody`).
 */
function newConversation() {
  return { sessionId: randomId('pg-'), messages: [], prompt: null };
}

function userId() {
  let id = localStorage.getItem(USER_STORAGE);
  if (!id) {
    id = randomId('playground-');
    localStorage.setItem(USER_STORAGE, id);
  }
  return id;
}

// ---------------------------------------------------------------- messages

function showError(message) {
  ui.banner.textContent = message;
  ui.banner.hidden = false;
}

function clearError() {
  ui.banner.textContent = '';
  ui.banner.hidden = true;
}

/** Says what went wrong in words a user can act on; a 401 asks for the key again. */
function explain(error, what) {
  if (!(error instanceof ApiError)) {
    return `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const detail = error.message;
  switch (error.status) {
    case 400:
      return `${what}: arkgate rejected the request (400). ${detail}`;
    case 401:
      if (state.config?.authRequired) askForKey();
      return `${what}: arkgate refused the API key (401). Enter a valid key. (${detail})`;
    case 403:
      return `${what}: not allowed (403). ${detail}`;
    case 429: {
      const wait = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : '';
      return `${what}: rate limit reached (429).${wait} (${detail})`;
    }
    case 503:
      if (error.body?.error?.code === 'tokens_not_configured') return tokensOffMessage();
      return `${what}: unavailable (503). ${detail}`;
    default:
      return `${what} failed (${error.status}): ${detail}`;
  }
}

function tokensOffMessage() {
  return (
    'Chat needs browser tokens, and they are off on this arkgate (503). The page never sends the ' +
    'API key to the chat or feedback routes: it uses a short-lived token from POST /v1/tokens. ' +
    'Set GATEWAY_TOKEN_SECRET (at least 32 characters) on arkgate and restart it.'
  );
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
async function api(path, { method = 'GET', body, auth = 'key' } = {}) {
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
async function withBrowserToken(call) {
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

/**
 * A Server-Sent Events parser: `push` text as it arrives (any chunking), `onEvent` gets
 * `{event, data}` per event. Lines end in LF, CRLF or CR; a blank line ends an event; `data:`
 * lines join with LF; comments (`: keep-alive`) and `id:`/`retry:` are ignored; an event cut off
 * by the end of the stream is dropped, as the SSE spec says.
 */
function sseParser(onEvent) {
  let buffer = '';
  let type = '';
  let data = [];
  const dispatch = () => {
    if (data.length > 0) onEvent({ event: type || 'message', data: data.join('\n') });
    type = '';
    data = [];
  };
  const line = (text) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
    return undefined;
  };
  return (chunk) => {
    buffer += chunk;
    const breaks = /\r\n|\r|\n/g;
    let start = 0;
    let match;
    while ((match = breaks.exec(buffer))) {
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && breaks.lastIndex === buffer.length) break;
      line(buffer.slice(start, match.index));
      start = breaks.lastIndex;
    }
    buffer = buffer.slice(start);
  };
}

/** POSTs the chat and hands each SSE event to `onEvent`; throws ApiError on an HTTP error. */
async function streamChat(body, token, signal, onOpen, onEvent) {
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

// ---------------------------------------------------------------- API key

function askForKey() {
  localStorage.removeItem(KEY_STORAGE);
  state.apiKey = '';
  state.token = null;
  ui.keyForm.hidden = false;
  ui.chat.hidden = true;
  ui.keyInput.value = '';
  ui.keyInput.focus();
}

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.keyInput.value.trim();
  if (!key) return;
  state.apiKey = key;
  state.token = null;
  localStorage.setItem(KEY_STORAGE, key);
  ui.keyInput.value = '';
  void startChat();
});

ui.keyChange.addEventListener('click', () => {
  clearError();
  askForKey();
});

// ---------------------------------------------------------------- models and prompts

function addOption(select, value, label) {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label;
  select.append(option);
  return option;
}

async function loadModels() {
  const fallback = state.config.defaultModel;
  ui.model.replaceChildren();
  let ids = [];
  try {
    const { body } = await api('/v1/models');
    ids = (body?.data ?? []).map((model) => model.id).filter(Boolean);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    showError(explain(error, 'Loading the models'));
  }
  if (fallback && !ids.includes(fallback)) ids.unshift(fallback);
  if (ids.length === 0) addOption(ui.model, '', '(server default)');
  for (const id of ids) addOption(ui.model, id, id);
  if (fallback) ui.model.value = fallback;
}

async function loadPrompts() {
  ui.prompt.replaceChildren();
  addOption(ui.prompt, '', '(none)');
  state.promptUri = '';
  ui.variables.replaceChildren();
  try {
    const { body } = await api('/v1/prompts?max_results=200');
    for (const prompt of body?.prompts ?? []) {
      const version = prompt.latestVersion ? ` (v${prompt.latestVersion})` : '';
      addOption(ui.prompt, prompt.name, prompt.name + version).title =
        prompt.commitMessage || prompt.description || '';
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    showError(explain(error, "Loading the prompts from MLflow's registry"));
  }
}

ui.prompt.addEventListener('change', async () => {
  ui.variables.replaceChildren();
  state.promptUri = '';
  const name = ui.prompt.value;
  if (!name) return;
  try {
    const { body } = await api(`/v1/prompts/${encodeURIComponent(name)}`);
    if (ui.prompt.value !== name) return;
    // Pinned to the version whose variables are shown.
    state.promptUri = body.uri;
    for (const variable of body.variables ?? []) {
      const label = document.createElement('label');
      label.textContent = variable;
      const input = document.createElement('input');
      input.name = variable;
      input.dataset.testid = `prompt-var-${variable}`;
      input.dataset.variable = variable;
      label.append(input);
      ui.variables.append(label);
    }
  } catch (error) {
    showError(explain(error, `Loading prompt "${name}"`));
  }
});

/** The prompt and its variables belong to a conversation: fixed by its first turn. */
function lockPrompt(locked) {
  ui.prompt.disabled = locked;
  for (const field of ui.variables.querySelectorAll('input')) field.disabled = locked;
  ui.prompt.title = locked ? 'Start a new conversation to change the prompt' : '';
}

function selectedPrompt() {
  if (!state.promptUri) return null;
  const variables = {};
  for (const field of ui.variables.querySelectorAll('input[data-variable]')) {
    variables[field.dataset.variable] = field.value;
  }
  return { uri: state.promptUri, variables };
}

// ---------------------------------------------------------------- chat

function turn(kind, text) {
  const element = document.createElement('div');
  element.className = `turn ${kind}`;
  if (text !== undefined) element.append(document.createTextNode(text));
  ui.transcript.append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}

function resetResult() {
  state.traceId = null;
  ui.usage.textContent = '';
  delete ui.usage.dataset.prompt;
  delete ui.usage.dataset.completion;
  delete ui.usage.dataset.total;
  ui.traceLink.hidden = true;
  ui.traceLink.removeAttribute('href');
  ui.traceLink.textContent = '';
  delete ui.traceLink.dataset.traceId;
  ui.up.disabled = true;
  ui.down.disabled = true;
  ui.up.setAttribute('aria-pressed', 'false');
  ui.down.setAttribute('aria-pressed', 'false');
  ui.feedbackStatus.textContent = '';
  delete ui.feedbackStatus.dataset.status;
}

function setBusy(busy) {
  ui.send.disabled = busy;
  ui.stop.hidden = !busy;
  ui.stop.disabled = !busy;
  ui.form.dataset.busy = String(busy);
}

/**
 * The request of one turn: the whole conversation so far, and the conversation's registry prompt
 * on every turn. The prompt is rendered by arkgate and never comes back to the page, so sending
 * it only once would lose it from the second turn on; sent each time, a chat prompt's messages
 * lead the conversation and a text prompt is its system message, as on the first turn (a text
 * prompt sent alone is the first user message instead). Nothing is duplicated: the page's
 * history holds only what was typed and answered.
 */
function chatBody(conversation) {
  const body = { sessionId: conversation.sessionId, userId: userId() };
  if (conversation.messages.length > 0) body.messages = conversation.messages;
  if (conversation.prompt) body.prompt = conversation.prompt;
  if (ui.model.value) body.model = ui.model.value;
  return body;
}

async function runTurn(conversation, input, message, reasoning) {
  const controller = new AbortController();
  state.inFlight = controller;
  let content = '';
  let outcome = null; // 'done' | 'error' (terminal event or failure) | 'stopped' (Stop pressed)
  let opened = false;
  let traceHeader = null;
  const onEvent = ({ event, data }) => {
    if (outcome) return;
    let payload;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    if (event === 'delta') {
      if (payload.content) {
        content += payload.content;
        message.append(document.createTextNode(payload.content));
      }
      if (payload.reasoning) {
        reasoning.hidden = false;
        reasoning.append(document.createTextNode(payload.reasoning));
      }
      message.scrollIntoView({ block: 'end' });
    } else if (event === 'done') {
      outcome = 'done';
      showUsage(payload.usage);
      void showTrace(payload.traceId);
    } else if (event === 'error') {
      outcome = 'error';
      const status = payload.status ? ` (${payload.status})` : '';
      showError(`The model call failed${status}: ${payload.error?.message ?? 'unknown error'}`);
      void showTrace(payload.traceId);
    }
  };
  const body = chatBody(conversation);
  try {
    await withBrowserToken((token) =>
      streamChat(
        body,
        token,
        controller.signal,
        (response) => {
          opened = true;
          traceHeader = response.headers.get('x-mlflow-trace-id');
        },
        onEvent,
      ),
    );
    if (!outcome) {
      outcome = 'error';
      showError('The connection dropped before the answer was complete.');
    }
  } catch (error) {
    if (controller.signal.aborted && !outcome) {
      outcome = 'stopped';
      if (state.conversation === conversation) void showTrace(traceHeader);
    } else if (!outcome) {
      outcome = 'error';
      showError(
        opened ? 'The connection dropped before the answer was complete.' : explain(error, 'Chat'),
      );
    }
  } finally {
    if (state.inFlight === controller) state.inFlight = null;
  }
  message.dataset.state = outcome;
  // What the model said (even cut short) is part of the conversation; a turn that got no answer
  // at all leaves the history, and its text goes back to the input to be sent again.
  if (content) {
    conversation.messages.push({ role: 'assistant', content });
  } else if (outcome !== 'done' && input) {
    conversation.messages.pop();
    if (state.conversation === conversation && !ui.input.value) ui.input.value = input;
  }
  if (state.conversation === conversation) setBusy(false);
}

function showUsage(usage) {
  if (!usage) {
    ui.usage.textContent = 'usage: not reported';
    return;
  }
  const prompt = usage.promptTokens ?? usage.prompt_tokens ?? '?';
  const completion = usage.completionTokens ?? usage.completion_tokens ?? '?';
  const total = usage.totalTokens ?? usage.total_tokens ?? '?';
  ui.usage.textContent = `tokens: prompt ${prompt} · completion ${completion} · total ${total}`;
  ui.usage.dataset.prompt = String(prompt);
  ui.usage.dataset.completion = String(completion);
  ui.usage.dataset.total = String(total);
}

/** The MLflow UI's trace view (3.x hash routes); the experiment's list when its id is unknown. */
function traceUrl(traceId) {
  const base = state.config.mlflowUiUrl;
  if (!base) return null;
  const experimentId = state.config.experimentId;
  if (!experimentId) return `${base}/#/experiments`;
  const query = new URLSearchParams({ selectedEvaluationId: traceId, traceId });
  return `${base}/#/experiments/${encodeURIComponent(experimentId)}/traces?${query}`;
}

async function showTrace(traceId) {
  if (!traceId) return;
  state.traceId = traceId;
  ui.up.disabled = false;
  ui.down.disabled = false;
  ui.traceLink.textContent = `trace ${traceId}`;
  ui.traceLink.hidden = false;
  // The exporter creates the experiment with the first trace: ask again until its id is known.
  if (!state.config.experimentId && state.config.tracingEnabled) {
    try {
      state.config = (await api('/playground/config.json', { auth: null })).body;
    } catch {
      // keep the previous config: the link goes to the experiment list
    }
  }
  if (state.traceId !== traceId) return;
  const href = traceUrl(traceId);
  if (href) ui.traceLink.href = href;
  ui.traceLink.dataset.traceId = traceId;
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (ui.send.disabled) return;
  const conversation = state.conversation;
  const input = ui.input.value.trim();
  const first = conversation.messages.length === 0 && !conversation.prompt;
  if (first) conversation.prompt = selectedPrompt();
  if (!input && !(first && conversation.prompt)) {
    if (first) conversation.prompt = null;
    showError(first ? 'Type a message (or pick a prompt).' : 'Type a message.');
    return;
  }
  clearError();
  resetResult();
  setBusy(true);
  lockPrompt(true);
  ui.input.value = '';
  const user = turn('user', input || `(prompt ${conversation.prompt.uri})`);
  user.dataset.testid = 'user-message';
  if (input) conversation.messages.push({ role: 'user', content: input });
  const reasoning = turn('reasoning');
  reasoning.hidden = true;
  const message = turn('assistant');
  message.dataset.testid = 'assistant-message';
  message.dataset.state = 'streaming';
  void runTurn(conversation, input, message, reasoning);
});

ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.form.requestSubmit();
  }
});

ui.stop.addEventListener('click', () => state.inFlight?.abort());

ui.newSession.addEventListener('click', () => {
  state.inFlight?.abort();
  state.inFlight = null;
  state.conversation = newConversation();
  state.token = null;
  setBusy(false);
  lockPrompt(false);
  ui.transcript.replaceChildren();
  resetResult();
  clearError();
  ui.sessionId.textContent = state.conversation.sessionId;
});

// ---------------------------------------------------------------- feedback

async function sendFeedback(value) {
  const traceId = state.traceId;
  if (!traceId) return;
  ui.feedbackStatus.textContent = 'sending…';
  ui.feedbackStatus.dataset.status = 'pending';
  try {
    const { status } = await withBrowserToken((token) =>
      api(`/v1/traces/${encodeURIComponent(traceId)}/feedback`, {
        method: 'POST',
        auth: token,
        // One assessment per trace and thumb, however often it is clicked.
        body: { value, name: 'user_feedback', idempotencyKey: `pg-${traceId}-${value}` },
      }),
    );
    if (state.traceId !== traceId) return;
    ui.up.setAttribute('aria-pressed', String(value));
    ui.down.setAttribute('aria-pressed', String(!value));
    ui.feedbackStatus.textContent = `${value ? '👍' : '👎'} recorded (${status} accepted)`;
    ui.feedbackStatus.dataset.status = 'accepted';
  } catch (error) {
    ui.feedbackStatus.textContent = 'not recorded';
    ui.feedbackStatus.dataset.status = 'error';
    showError(explain(error, 'Sending feedback'));
  }
}

ui.up.addEventListener('click', () => void sendFeedback(true));
ui.down.addEventListener('click', () => void sendFeedback(false));

// ---------------------------------------------------------------- start

async function startChat() {
  clearError();
  ui.keyForm.hidden = true;
  ui.chat.hidden = false;
  ui.keyChange.hidden = !state.config.authRequired;
  try {
    await Promise.all([loadModels(), loadPrompts()]);
  } catch (error) {
    showError(explain(error, 'Loading the models and prompts'));
    return;
  }
  // A prompt chosen before the key was asked again is still the conversation's.
  lockPrompt(false);
  if (state.conversation.prompt || state.conversation.messages.length > 0) lockPrompt(true);
  if (state.config.authRequired && !state.config.tokensEnabled) showError(tokensOffMessage());
  ui.input.focus();
}

async function main() {
  ui.sessionId.textContent = state.conversation.sessionId;
  setBusy(false);
  try {
    state.config = (await api('/playground/config.json', { auth: null })).body;
  } catch (error) {
    showError(explain(error, 'Loading the playground settings'));
    return;
  }
  document.body.dataset.auth = state.config.authRequired ? 'on' : 'off';
  if (state.config.authRequired && !state.apiKey) {
    askForKey();
    return;
  }
  await startChat();
}

void main();
