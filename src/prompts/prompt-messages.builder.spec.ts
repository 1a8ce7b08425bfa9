import { buildPromptMessages, modelConfigDefaults } from './prompt-messages.builder';

describe(buildPromptMessages.name, () => {
  const question = { role: 'user', content: 'Hi' };

  it('puts a text prompt first as the system message', () => {
    expect(buildPromptMessages('Be brief.', [question])).toEqual([
      { role: 'system', content: 'Be brief.' },
      question,
    ]);
  });

  it('makes a text prompt the user message when there is no conversation', () => {
    expect(buildPromptMessages('Say hi.', [])).toEqual([{ role: 'user', content: 'Say hi.' }]);
  });

  it("puts a chat prompt's messages before the conversation", () => {
    const leading = [
      { role: 'system', content: 'S' },
      { role: 'user', content: 'U' },
    ];
    expect(buildPromptMessages(leading, [question])).toEqual([...leading, question]);
    expect(buildPromptMessages(leading, [])).toEqual(leading);
  });
});

describe(modelConfigDefaults.name, () => {
  it('renames MLflow keys, drops those ModelArk has no use for, keeps extra parameters', () => {
    expect(
      modelConfigDefaults({
        provider: 'openai',
        model_name: 'seed-1-6-250615',
        temperature: 0.2,
        max_tokens: 64,
        top_p: 0.9,
        top_k: 5,
        stop_sequences: ['END'],
        thinking: { type: 'disabled' },
        presence_penalty: null,
      }),
    ).toEqual({
      model: 'seed-1-6-250615',
      temperature: 0.2,
      max_tokens: 64,
      top_p: 0.9,
      stop: ['END'],
      thinking: { type: 'disabled' },
    });
  });

  it('is empty without a config', () => {
    expect(modelConfigDefaults(undefined)).toEqual({});
  });
});
