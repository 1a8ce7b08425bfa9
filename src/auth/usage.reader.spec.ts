import { tokensInSse, tokensOf } from './usage.reader';

describe('tokensOf', () => {
  it.each([
    [{ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }, 7],
    [{ usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } }, 7],
    [{ type: 'response.completed', response: { usage: { total_tokens: 9 } } }, 9],
    [{ usage: null }, 0],
    [{ choices: [] }, 0],
    ['text', 0],
  ])('reads %j as %d tokens', (payload, tokens) => {
    expect(tokensOf(payload)).toBe(tokens);
  });
});

describe('tokensInSse', () => {
  it('sums the usage of the data lines, ignoring [DONE] and other events', () => {
    const text =
      'data: {"choices":[]}\n\n' +
      'event: done\ndata: {"usage":{"totalTokens":12}}\n\n' +
      'data: {"usage":{"total_tokens":3}}\n\ndata: [DONE]\n\n';

    expect(tokensInSse(text)).toBe(15);
  });

  it('finds nothing in a comment or a broken line', () => {
    expect(tokensInSse(': keep-alive usage\n\ndata: {"usage":\n\n')).toBe(0);
  });
});
