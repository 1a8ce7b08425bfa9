/* global document */
// arkgate playground: a multi-turn chat streamed over SSE (fetch POST /v1/chat/stream), the
// trace of each answer, feedback. No build step, no inline script (CSP script-src 'self'); model
// output is only ever added as text nodes. This entry wires the page's modules together:
// sse-parser.js (the stream), api.js (HTTP, the API key, browser tokens), conversation.js (state
// and history), view.js (what is shown), catalog.js (models and prompts), chat.js (a turn, feedback).

import { fetchConfig, saveApiKey, tokensOffMessage } from './api.js';
import { choosePrompt, loadModels, loadPrompts } from './catalog.js';
import { runTurn, sendFeedback } from './chat.js';
import { startNewConversation, state } from './conversation.js';
import {
  askForKey,
  clearError,
  explain,
  lockPrompt,
  resetResult,
  selectedPrompt,
  setBusy,
  showError,
  turn,
  ui,
} from './view.js';

// ---------------------------------------------------------------- API key

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.keyInput.value.trim();
  if (!key) return;
  saveApiKey(key);
  ui.keyInput.value = '';
  void startChat();
});

ui.keyChange.addEventListener('click', () => {
  clearError();
  askForKey(state.config?.keyHint);
});

// ---------------------------------------------------------------- prompts

ui.prompt.addEventListener('change', () => void choosePrompt());

// ---------------------------------------------------------------- chat

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
  startNewConversation();
  setBusy(false);
  lockPrompt(false);
  ui.transcript.replaceChildren();
  resetResult();
  clearError();
  ui.sessionId.textContent = state.conversation.sessionId;
});

// ---------------------------------------------------------------- feedback

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
    state.config = await fetchConfig();
  } catch (error) {
    showError(explain(error, 'Loading the playground settings'));
    return;
  }
  document.body.dataset.auth = state.config.authRequired ? 'on' : 'off';
  if (state.config.authRequired && !state.apiKey) {
    askForKey(state.config?.keyHint);
    return;
  }
  await startChat();
}

void main();
