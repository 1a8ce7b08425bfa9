/* global document */
// arkgate playground: the page's elements and what is shown in them. Model output is only ever
// added as text nodes, never as HTML.

import { ApiError, fetchConfig, forgetApiKey, tokensOffMessage } from './api.js';
import { state } from './conversation.js';

const $ = (id) => document.getElementById(id);
export const ui = {
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

// ---------------------------------------------------------------- messages

export function showError(message) {
  ui.banner.textContent = message;
  ui.banner.hidden = false;
}

export function clearError() {
  ui.banner.textContent = '';
  ui.banner.hidden = true;
}

/** Says what went wrong in words a user can act on; a 401 asks for the key again. */
export function explain(error, what) {
  if (!(error instanceof ApiError)) {
    return `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const detail = error.message;
  switch (error.status) {
    case 400:
      return `${what}: arkgate rejected the request (400). ${detail}`;
    case 401:
      if (state.config?.authRequired) askForKey(state.config.keyHint);
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

// ---------------------------------------------------------------- API key

export function askForKey(hint) {
  forgetApiKey();
  if (hint) ui.keyInput.placeholder = `${hint} (this demo's key)`;
  ui.keyForm.hidden = false;
  ui.chat.hidden = true;
  ui.keyInput.value = '';
  ui.keyInput.focus();
}

// ---------------------------------------------------------------- prompts

export function addOption(select, value, label) {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label;
  select.append(option);
  return option;
}

/** The prompt and its variables belong to a conversation: fixed by its first turn. */
export function lockPrompt(locked) {
  ui.prompt.disabled = locked;
  for (const field of ui.variables.querySelectorAll('input')) field.disabled = locked;
  ui.prompt.title = locked ? 'Start a new conversation to change the prompt' : '';
}

export function selectedPrompt() {
  if (!state.promptUri) return null;
  const variables = {};
  for (const field of ui.variables.querySelectorAll('input[data-variable]')) {
    variables[field.dataset.variable] = field.value;
  }
  return { uri: state.promptUri, variables };
}

// ---------------------------------------------------------------- chat

export function turn(kind, text) {
  const element = document.createElement('div');
  element.className = `turn ${kind}`;
  if (text !== undefined) element.append(document.createTextNode(text));
  ui.transcript.append(element);
  element.scrollIntoView({ block: 'end' });
  return element;
}

export function resetResult() {
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

export function setBusy(busy) {
  ui.send.disabled = busy;
  ui.stop.hidden = !busy;
  ui.stop.disabled = !busy;
  ui.form.dataset.busy = String(busy);
}

export function showUsage(usage) {
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

export async function showTrace(traceId) {
  if (!traceId) return;
  state.traceId = traceId;
  ui.up.disabled = false;
  ui.down.disabled = false;
  ui.traceLink.textContent = `trace ${traceId}`;
  ui.traceLink.hidden = false;
  // The exporter creates the experiment with the first trace: ask again until its id is known.
  if (!state.config.experimentId && state.config.tracingEnabled) {
    try {
      state.config = await fetchConfig();
    } catch {
      // keep the previous config: the link goes to the experiment list
    }
  }
  if (state.traceId !== traceId) return;
  const href = traceUrl(traceId);
  if (href) ui.traceLink.href = href;
  ui.traceLink.dataset.traceId = traceId;
}
