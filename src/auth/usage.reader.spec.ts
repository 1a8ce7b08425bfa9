import { tokensOf } from './usage.reader';

describe('tokensOf', () => {
  it.each([
    [{ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }, 7],
    [{ usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } }, 7],
    [{ type: 'response.completed', response: { usage: { total_tokens: 9 } } }, 9],
    [{ object: 'response', usage: { input_tokens: 2, output_tokens: 3, total_tokens: 5 } }, 5],
    [undefined, 0],
    [{ usage: null }, 0],
    [{ choices: [] }, 0],
    ['text', 0],
  ])('reads %j as %d tokens', (payload, tokens) => {
    expect(tokensOf(payload)).toBe(tokens);
  });
});
