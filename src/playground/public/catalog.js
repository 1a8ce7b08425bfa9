/* global document */
// arkgate playground: the models and the registry prompts offered by the page.

import { ApiError, api } from './api.js';
import { state } from './conversation.js';
import { addOption, explain, showError, ui } from './view.js';

export async function loadModels() {
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

export async function loadPrompts() {
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

/** Shows an input per variable of the prompt just selected, and pins its version. */
export async function choosePrompt() {
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
}
