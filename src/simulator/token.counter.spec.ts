import { TokenCounter } from './token.counter';

describe(TokenCounter.name, () => {
  const sut = TokenCounter;

  it('counts whitespace-separated words', () => {
    expect(sut.count('  Hello,\n  big   world! ')).toBe(3);
    expect(sut.count('')).toBe(0);
  });

  it('makes pieces that join back into the sentence', () => {
    const pieces = sut.pieces(['Hello', 'big', 'world']);

    expect(pieces).toEqual(['Hello ', 'big ', 'world']);
    expect(pieces.join('')).toBe('Hello big world');
  });

  it('slices text without spaces into fixed-size pieces', () => {
    expect(sut.slices('{"city":"Paris"}', 8)).toEqual(['{"city":', '"Paris"}']);
    expect(sut.slices('abc', 8)).toEqual(['abc']);
    expect(sut.slices('', 8)).toEqual([]);
  });
});
