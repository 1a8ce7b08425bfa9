/** Error examples of the prompt routes and the `prompt` field, for the API document. */
export const PROMPT_ERROR_EXAMPLES = {
  400: {
    description: 'Invalid prompt reference, or a template variable was not given',
    error: {
      message: 'Prompt "support-agent" version 3 needs variable(s) that were not given: question',
      type: 'invalid_request_error',
      param: 'prompt.variables.question',
      code: 'prompt_variable_missing',
    },
  },
  404: {
    description: 'Unknown prompt, version or alias in the MLflow prompt registry',
    error: {
      message: 'Prompt "support-agent" has no alias "staging"',
      type: 'not_found_error',
      param: 'prompt.alias',
      code: 'prompt_not_found',
    },
  },
  422: {
    description: 'The prompt exists but arkgate cannot render it (Jinja2 control flow)',
    error: {
      message:
        'Prompt "report" version 2 cannot be used: it uses Jinja2 control flow ({% ... %}), which arkgate does not render',
      type: 'invalid_request_error',
      param: 'prompt',
      code: 'unsupported_prompt',
    },
  },
  503: {
    description: 'MLflow is unreachable and the prompt was never cached',
    error: {
      message:
        'The MLflow prompt registry is unavailable and prompts:/support-agent@production is not cached: MLflow GET /api/2.0/mlflow/registered-models/alias failed NETWORK_ERROR: fetch failed',
      type: 'service_unavailable_error',
      param: null,
      code: 'prompt_registry_unavailable',
    },
  },
} as const;

export const PROMPT_DESCRIPTION_EXAMPLE = {
  name: 'support-agent',
  version: '3',
  uri: 'prompts:/support-agent/3',
  type: 'chat',
  template: [
    { role: 'system', content: 'You are the support agent of {{product}}. Be brief.' },
    { role: 'user', content: '{{question}}' },
  ],
  variables: ['product', 'question'],
  modelConfig: { model_name: 'seed-1-6-250615', temperature: 0.2, max_tokens: 512 },
  aliases: ['production'],
};

export const PROMPT_LIST_EXAMPLE = {
  prompts: [
    {
      name: 'support-agent',
      latestVersion: '3',
      aliases: { production: '2' },
      description: 'System prompt of the support agent',
      commitMessage: 'Shorter answers',
      updatedAt: '2026-11-24T11:15:00.000Z',
    },
  ],
  nextPageToken: 'eyJvZmZzZXQiOiA1MH0=',
};
