import { createHash } from 'node:crypto';
import { JsonObject, RequestFields } from './request.fields';
import { SimulatorError } from './simulator.error';

export const DEFAULT_EMBEDDING_DIMENSIONS = 2048;
const MAX_EMBEDDING_DIMENSIONS = 8192;

export type EmbeddingFormat = 'float' | 'base64';

/** Deterministic unit vectors: the same model and input always give the same embedding. */
export class EmbeddingVectors {
  /** Values are float32-exact, so the float and base64 encodings carry the same numbers. */
  static of(seed: string, dimensions: number): number[] {
    const random = EmbeddingVectors.generator(seed);
    const values = Float32Array.from({ length: dimensions }, () => random() * 2 - 1);
    const norm = Math.hypot(...values) || 1;
    return Array.from(values.map((value) => value / norm));
  }

  /** As OpenAI does: float32 little-endian, base64. */
  static encode(vector: number[], format: EmbeddingFormat): number[] | string {
    if (format === 'float') return vector;
    const bytes = Buffer.alloc(vector.length * 4);
    vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
    return bytes.toString('base64');
  }

  static dimensions(body: JsonObject): number {
    const dimensions = RequestFields.positiveInteger(body, 'dimensions');
    if (dimensions !== undefined && dimensions > MAX_EMBEDDING_DIMENSIONS) {
      throw SimulatorError.badRequest(
        `dimensions must be at most ${MAX_EMBEDDING_DIMENSIONS}.`,
        'dimensions',
      );
    }
    return dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  }

  static format(body: JsonObject): EmbeddingFormat {
    const format = RequestFields.oneOf(body.encoding_format, 'encoding_format', [
      'float',
      'base64',
    ]);
    return (format as EmbeddingFormat | undefined) ?? 'float';
  }

  /** mulberry32, seeded from a hash: cheap enough that large vectors stay fast. */
  private static generator(seed: string): () => number {
    let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
}
