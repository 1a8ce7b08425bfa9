import { ReasoningPolicy } from './reasoning.policy';

describe(ReasoningPolicy.name, () => {
  const sut = ReasoningPolicy;

  it.each([
    ['a plain model', false, 'seed-1-6-250615', undefined, undefined],
    ['a thinking model', true, 'seed-1-6-thinking-250715', undefined, undefined],
    ['an r1 model', true, 'deepseek-r1-250528', undefined, undefined],
    ['a reasoner model', true, 'my-reasoner', undefined, undefined],
    ['a model with r1 inside a word', false, 'gpt-r10', undefined, undefined],
    ['thinking enabled on a plain model', true, 'seed-1-6-250615', 'enabled', undefined],
    ['thinking auto on a thinking model', true, 'seed-1-6-thinking-250715', 'auto', undefined],
    [
      'thinking disabled on a thinking model',
      false,
      'seed-1-6-thinking-250715',
      'disabled',
      undefined,
    ],
    ['minimal effort on an r1 model', false, 'deepseek-r1-250528', undefined, 'minimal'],
    ['minimal effort with thinking enabled', false, 'seed-1-6-250615', 'enabled', 'minimal'],
    ['high effort on an r1 model', true, 'deepseek-r1-250528', undefined, 'high'],
  ])('for %s, reasoning is %s', (_case, expected, model, thinking, effort) => {
    expect(sut.applies(model, thinking, effort)).toBe(expected);
  });
});
