import type { ModelVersionJson } from '../mlflow/mlflow-registry.model';
import { toPromptVersion } from './prompt-version.mapper';

function version(tags: Record<string, string>, extra: Partial<ModelVersionJson> = {}) {
  return {
    name: 'greeter',
    version: '2',
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    ...extra,
  };
}

const PROMPT = { 'mlflow.prompt.is_prompt': 'true' };

describe(toPromptVersion.name, () => {
  it('maps a text version with its model config and commit message', () => {
    const sut = toPromptVersion(
      version(
        {
          ...PROMPT,
          'mlflow.prompt.text': 'Hi {{name}}',
          _mlflow_prompt_type: 'text',
          _mlflow_prompt_model_config: '{"model_name":"m","temperature":0.1}',
        },
        { description: 'v2: shorter', creation_timestamp: 1763633730123 },
      ),
    );
    expect(sut).toEqual({
      name: 'greeter',
      version: '2',
      type: 'text',
      template: 'Hi {{name}}',
      variables: ['name'],
      syntax: 'double-brace',
      modelConfig: { model_name: 'm', temperature: 0.1 },
      commitMessage: 'v2: shorter',
      createdAt: 1763633730123,
    });
  });

  it('maps a chat version', () => {
    const messages = [
      { role: 'system', content: 'Be {{tone}}' },
      { role: 'user', content: '{{q}}' },
    ];
    const sut = toPromptVersion(
      version({
        ...PROMPT,
        'mlflow.prompt.text': JSON.stringify(messages),
        _mlflow_prompt_type: 'chat',
      }),
    );
    expect(sut).toMatchObject({ type: 'chat', template: messages, variables: ['tone', 'q'] });
  });

  it('without a type tag, reads a JSON list of messages as chat and anything else as text', () => {
    const chat = version({ ...PROMPT, 'mlflow.prompt.text': '[{"role":"user","content":"x"}]' });
    const text = version({ ...PROMPT, 'mlflow.prompt.text': '[not json' });
    expect(toPromptVersion(chat).type).toBe('chat');
    expect(toPromptVersion(text).type).toBe('text');
  });

  it('marks Jinja2 control flow', () => {
    const sut = toPromptVersion(
      version({ ...PROMPT, 'mlflow.prompt.text': '{% if x %}{{ x }}{% endif %}' }),
    );
    expect(sut.syntax).toBe('jinja2');
  });

  it('is a 404 for a model version that is not a prompt', () => {
    expect(() => toPromptVersion(version({ 'mlflow.prompt.text': 'x' }))).toThrow(
      '"greeter" is a registered model in MLflow, not a prompt',
    );
    expect(() => toPromptVersion(version(PROMPT))).toThrow(/not a prompt/);
  });

  it('is a 422 for a chat version whose text is not a list of messages', () => {
    expect(() =>
      toPromptVersion(
        version({ ...PROMPT, 'mlflow.prompt.text': 'plain', _mlflow_prompt_type: 'chat' }),
      ),
    ).toThrow(expect.objectContaining({ status: 422 }));
  });
});
