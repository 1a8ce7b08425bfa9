import { TRUNCATED_MARKER, truncateAttribute } from './attribute.truncation';

describe(truncateAttribute.name, () => {
  it('keeps values within the limit unchanged', () => {
    const value = { messages: [{ role: 'user', content: 'hi' }] };

    expect(truncateAttribute(value, 1024)).toBe(value);
    expect(truncateAttribute(42, 1)).toBe(42);
    expect(truncateAttribute(null, 1)).toBeNull();
  });

  it('replaces a larger value with a marker, its size in bytes and a preview', () => {
    const value = { content: 'é'.repeat(2_000) };

    const sut = truncateAttribute(value, 1024) as Record<string, unknown>;

    expect(sut[TRUNCATED_MARKER]).toBe(true);
    expect(sut.original_bytes).toBe(Buffer.byteLength(JSON.stringify(value)));
    expect(sut.preview).toBe(JSON.stringify(value).slice(0, 1_000));
  });

  it('counts bytes, not characters, near the limit', () => {
    expect(truncateAttribute('é'.repeat(400), 1024)).toBe('é'.repeat(400));
    expect(truncateAttribute('é'.repeat(600), 1024)).toMatchObject({
      [TRUNCATED_MARKER]: true,
      original_bytes: 1_200,
    });
    expect(truncateAttribute({ text: '€'.repeat(340) }, 1024)).toMatchObject({
      [TRUNCATED_MARKER]: true,
      original_bytes: 1_031,
    });
  });

  it('truncates long strings too', () => {
    expect(truncateAttribute('x'.repeat(2_000), 1024)).toMatchObject({ [TRUNCATED_MARKER]: true });
  });
});
