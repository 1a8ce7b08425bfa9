/* global document, EventSource */
// arkgate playground: chat over SSE (EventSource on GET /v1/chat/stream), see the trace, give
// feedback. No build step, no inline script (CSP script-src 'self'); model output is only ever
// added as text nodes.

const KEY_STORAGE = 'arkgate.playground.apiKey';
const USER_STORAGE = 'arkgate.playground.userId';
const SESSION_STORAGE = 'arkgate.playground.sessionId';
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
  sessionId: $('session-id'),
  newSession: $('new-session'),
};

const state = {
  config: null,
  apiKey: localStorage.getItem(KEY_STORAGE) || '',
  token: null, // { token, expiresAt (ms) }
  promptUri: '',
  traceId: null,
  source: null,
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

/** One conversation per browser tab (sessionStorage is per tab); every call carries it. */
function sessionId() {
  let id = sessionStorage.getItem(SESSION_STORAGE);
  if (!id) {
    id = randomId('pg-');
    sessionStorage.setItem(SESSION_STORAGE, id);
  }
  return id;
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
    'Streaming needs browser tokens, and they are off on this arkgate (503). EventSource cannot ' +
    'send an API key header, so the page streams with a short-lived token from POST /v1/tokens. ' +
    'Set GATEWAY_TOKEN_SECRET (at least 32 characters) on arkgate and restart it.'
  );
}

// ---------------------------------------------------------------- HTTP

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
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    throw new ApiError(response.status, json, response.headers.get('retry-after'));
  }
  return { status: response.status, body: json };
}

/** A browser token for this tab's session, minted again when (nearly) expired or refused. */
async function browserToken(fresh = false) {
  if (!fresh && state.token && state.token.expiresAt - Date.now() > TOKEN_MARGIN_MS) {
    return state.token.token;
  }
  const { body } = await api('/v1/tokens', {
    method: 'POST',
    body: { userId: userId(), sessionId: sessionId() },
  });
  state.token = { token: body.token, expiresAt: Date.parse(body.expiresAt) };
  return state.token.token;
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
  ui.traceLink.hidden = true;
  ui.traceLink.removeAttribute('href');
  ui.traceLink.textContent = '';
  ui.up.disabled = true;
  ui.down.disabled = true;
  ui.up.setAttribute('aria-pressed', 'false');
  ui.down.setAttribute('aria-pressed', 'false');
  ui.feedbackStatus.textContent = '';
  delete ui.feedbackStatus.dataset.status;
}

function streamQuery(input, token) {
  const query = new URLSearchParams();
  if (input) query.set('input', input);
  if (ui.model.value) query.set('model', ui.model.value);
  if (state.promptUri) {
    query.set('prompt', state.promptUri);
    for (const field of ui.variables.querySelectorAll('input[data-variable]')) {
      query.set(`var.${field.dataset.variable}`, field.value);
    }
  }
  query.set('sessionId', sessionId());
  query.set('userId', userId());
  if (token) query.set('access_token', token);
  return `/v1/chat/stream?${query.toString()}`;
}

async function streamCredential(fresh) {
  if (!state.config.authRequired) return undefined;
  if (!state.config.tokensEnabled) throw new Error(tokensOffMessage());
  return browserToken(fresh);
}

function setBusy(busy) {
  ui.send.disabled = busy;
  ui.form.dataset.busy = String(busy);
}

function finish(message, outcome) {
  message.dataset.state = outcome;
  state.source?.close();
  state.source = null;
  setBusy(false);
}

/**
 * Opens the stream. EventSource hides the status of a refused request, so a failure before the
 * first event mints a new token once (expired or revoked), then asks the same URL with fetch to
 * show the real error.
 */
async function stream(input, message, reasoning, retried = false) {
  let url;
  try {
    url = streamQuery(input, await streamCredential(retried));
  } catch (error) {
    showError(
      error instanceof ApiError ? explain(error, 'Minting a browser token') : error.message,
    );
    finish(message, 'error');
    return;
  }
  let opened = false;
  const source = new EventSource(url);
  state.source = source;

  source.addEventListener('delta', (event) => {
    opened = true;
    const delta = JSON.parse(event.data);
    if (delta.content) message.append(document.createTextNode(delta.content));
    if (delta.reasoning) {
      reasoning.hidden = false;
      reasoning.append(document.createTextNode(delta.reasoning));
    }
    message.scrollIntoView({ block: 'end' });
  });

  source.addEventListener('done', (event) => {
    opened = true;
    const done = JSON.parse(event.data);
    finish(message, 'done');
    showUsage(done.usage);
    showTrace(done.traceId);
  });

  source.addEventListener('error', (event) => {
    if (event.data) {
      // The server's own `error` event: the call failed after the stream opened.
      const failure = JSON.parse(event.data);
      finish(message, 'error');
      const status = failure.status ? ` (${failure.status})` : '';
      showError(`The model call failed${status}: ${failure.error?.message ?? 'unknown error'}`);
      showTrace(failure.traceId);
      return;
    }
    // Never let EventSource reconnect: that would send the question again.
    source.close();
    if (state.source !== source) return;
    if (opened) {
      finish(message, 'error');
      showError('The connection dropped before the answer was complete.');
      return;
    }
    if (state.config.authRequired && !retried) {
      void stream(input, message, reasoning, true);
      return;
    }
    void diagnose(url, message);
  });
}

async function diagnose(url, message) {
  const controller = new AbortController();
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (response.ok) {
      controller.abort();
      showError('The stream could not be opened (the connection failed). Try again.');
    } else {
      let body;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      const error = new ApiError(response.status, body, response.headers.get('retry-after'));
      showError(explain(error, 'Chat'));
    }
  } catch (error) {
    showError(`The stream could not be opened: ${error instanceof Error ? error.message : error}`);
  }
  if (message.dataset.state === 'streaming') finish(message, 'error');
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
  const input = ui.input.value.trim();
  if (!input && !state.promptUri) {
    showError('Type a message (or pick a prompt).');
    return;
  }
  clearError();
  resetResult();
  setBusy(true);
  ui.input.value = '';
  turn('user', input || `(prompt ${state.promptUri})`);
  const reasoning = turn('reasoning');
  reasoning.hidden = true;
  const message = turn('assistant');
  message.dataset.testid = 'assistant-message';
  message.dataset.state = 'streaming';
  void stream(input, message, reasoning);
});

ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.form.requestSubmit();
  }
});

ui.newSession.addEventListener('click', () => {
  state.source?.close();
  state.source = null;
  setBusy(false);
  sessionStorage.removeItem(SESSION_STORAGE);
  state.token = null;
  ui.transcript.replaceChildren();
  resetResult();
  clearError();
  ui.sessionId.textContent = sessionId();
});

// ---------------------------------------------------------------- feedback

async function sendFeedback(value) {
  const traceId = state.traceId;
  if (!traceId) return;
  ui.feedbackStatus.textContent = 'sending…';
  ui.feedbackStatus.dataset.status = 'pending';
  try {
    const credential = state.config.authRequired
      ? state.config.tokensEnabled
        ? await browserToken()
        : state.apiKey
      : null;
    const { status } = await api(`/v1/traces/${encodeURIComponent(traceId)}/feedback`, {
      method: 'POST',
      auth: credential,
      // One assessment per trace and thumb, however often it is clicked.
      body: { value, name: 'user_feedback', idempotencyKey: `pg-${traceId}-${value}` },
    });
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
  if (state.config.authRequired && !state.config.tokensEnabled) showError(tokensOffMessage());
  ui.input.focus();
}

async function main() {
  ui.sessionId.textContent = sessionId();
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
