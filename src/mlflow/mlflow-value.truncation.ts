import { TRUNCATION_SUFFIX } from './mlflow.constants';

/** Cuts `value` to `max` chars the way the Python SDK does: the last three become "...". */
export function truncateForMlflow(value: string, max: number): string {
  if (value.length <= max) return value;
  return value.slice(0, max - TRUNCATION_SUFFIX.length) + TRUNCATION_SUFFIX;
}
