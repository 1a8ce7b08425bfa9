/* global document */
// arkgate playground: one streamed turn of the chat, and the feedback on its trace.

import { api, streamChat, withBrowserToken } from './api.js';
import { chatBody, state } from './conversation.js';
import { explain, setBusy, showError, showTrace, showUsage, ui } from './view.js';

/**
 * Streams the answer to the conversation's last turn into `message` (and `reasoning`), then
 * records it in the conversation's history.
 */
export async function runTurn(conversation, input, message, reasoning) {
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
  const body = chatBody(conversation, ui.model.value);
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

// ---------------------------------------------------------------- feedback

export async function sendFeedback(value) {
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
    ui.feedbackStatus.textContent = `${value ? 'Good' : 'Bad'}: recorded (${status} accepted)`;
    ui.feedbackStatus.dataset.status = 'accepted';
  } catch (error) {
    ui.feedbackStatus.textContent = 'not recorded';
    ui.feedbackStatus.dataset.status = 'error';
    showError(explain(error, 'Sending feedback'));
  }
}
