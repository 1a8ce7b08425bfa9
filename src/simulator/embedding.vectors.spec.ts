import { EmbeddingVectors } from './embedding.vectors';

describe(EmbeddingVectors.name, () => {
  const sut = EmbeddingVectors;

  it('makes deterministic unit vectors of the requested size', () => {
    const vector = sut.of('seed', 256);

    expect(vector).toHaveLength(256);
    expect(sut.of('seed', 256)).toEqual(vector);
    expect(sut.of('other seed', 256)).not.toEqual(vector);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(new Set(vector).size).toBeGreaterThan(200);
  });

  it('holds float32-exact values', () => {
    const vector = sut.of('seed', 32);

    expect(vector.every((value) => Math.fround(value) === value)).toBe(true);
  });

  it('encodes base64 as little-endian float32', () => {
    const encoded = sut.encode([1, -2.5], 'base64') as string;
    const bytes = Buffer.from(encoded, 'base64');

    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([1, -2.5]);
    expect(sut.encode([1, -2.5], 'float')).toEqual([1, -2.5]);
  });
});
