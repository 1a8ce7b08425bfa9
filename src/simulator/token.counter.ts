/**
 * The simulator's tokenizer: one token per whitespace-separated word. It is not any real model's
 * tokenizer; it only has to be deterministic so tests can predict usage.
 */
export class TokenCounter {
  static words(text: string): string[] {
    return text.match(/\S+/g) ?? [];
  }

  static count(text: string): number {
    return TokenCounter.words(text).length;
  }

  /** Words with their separating space kept, so joining the pieces gives back the sentence. */
  static pieces(words: readonly string[]): string[] {
    return words.map((word, index) => (index < words.length - 1 ? `${word} ` : word));
  }

  /** Fixed-size slices, for text without spaces such as JSON arguments. */
  static slices(text: string, size: number): string[] {
    const slices: string[] = [];
    for (let start = 0; start < text.length; start += size) {
      slices.push(text.slice(start, start + size));
    }
    return slices;
  }
}
