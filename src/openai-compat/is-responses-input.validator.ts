import { ValidationOptions, registerDecorator } from 'class-validator';

const isItem = (item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item);

/** A Responses API `input`: non-empty text, or a non-empty array of input items (objects). */
export function IsResponsesInput(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isResponsesInput',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: ({ property }) =>
          `${property} must be a non-empty string or a non-empty array of input items`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value !== '') ||
          (Array.isArray(value) && value.length > 0 && value.every(isItem)),
      },
    });
}
