import { promptFromQuery } from './prompt-query.mapper';

describe(promptFromQuery.name, () => {
  it('turns prompt and var.* parameters into the prompt object and leaves the rest', () => {
    expect(
      promptFromQuery({
        prompt: 'prompts:/greeter@prod',
        'var.name': 'Ada',
        'var.city': 'Paris',
        model: 'm',
      }),
    ).toEqual({
      model: 'm',
      prompt: { uri: 'prompts:/greeter@prod', variables: { name: 'Ada', city: 'Paris' } },
    });
  });

  it('accepts the URI without its scheme, and a bare name as the latest version', () => {
    expect(promptFromQuery({ prompt: 'greeter/2' }).prompt).toEqual({
      uri: 'prompts:/greeter/2',
      variables: {},
    });
    expect(promptFromQuery({ prompt: 'greeter' }).prompt).toEqual({
      name: 'greeter',
      variables: {},
    });
  });

  it('drops var.* parameters when there is no prompt', () => {
    expect(promptFromQuery({ input: 'hi', 'var.x': '1' } as { prompt?: string })).toEqual({
      input: 'hi',
    });
  });
});
