import { ValidationOptions, registerDecorator } from 'class-validator';

function isContentPart(part: unknown): boolean {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as { type?: unknown }).type === 'string'
  );
}

/** Message content: a string, or a non-empty array of typed content parts. */
export function IsChatContent(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isChatContent',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: ({ property }) =>
          `${property} must be a string or a non-empty array of content parts with a "type"`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' ||
          (Array.isArray(value) && value.length > 0 && value.every(isContentPart)),
      },
    });
}
