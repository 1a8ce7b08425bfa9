import { ValidationOptions, registerDecorator } from 'class-validator';

/** A feedback value MLflow stores: a boolean, a finite number or a non-empty string. */
export function IsFeedbackValue(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isFeedbackValue',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: {
        message: ({ property }) =>
          `${property} must be a boolean, a finite number or a non-empty string`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value)) ||
          (typeof value === 'string' && value.trim() !== ''),
      },
    });
}
