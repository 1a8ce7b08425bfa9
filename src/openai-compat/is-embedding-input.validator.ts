import { ValidationOptions, registerDecorator } from 'class-validator';
import { isContentPart, isContentParts } from '../llm/embeddings-route.planner';

const isTokens = (value: unknown) =>
  Array.isArray(value) && value.length > 0 && value.every((token) => Number.isInteger(token));

const isItem = (item: unknown) =>
  (typeof item === 'string' && item !== '') ||
  isTokens(item) ||
  isContentPart(item) ||
  isContentParts(item);

/**
 * An embeddings `input`: OpenAI's text, texts, token array or token arrays, or (for multimodal
 * models) items that are content parts or arrays of them.
 */
export function IsEmbeddingInput(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isEmbeddingInput',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: ({ property }) =>
          `${property} must be a non-empty string, or a non-empty array of strings, token arrays or content parts`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value !== '') ||
          isTokens(value) ||
          (Array.isArray(value) && value.length > 0 && value.every(isItem)),
      },
    });
}
