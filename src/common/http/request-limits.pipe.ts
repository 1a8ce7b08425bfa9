import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { RequestLimits } from './request-limits.model';
import { checkRequestLimits } from './request-limits.validator';

/**
 * Runs after the ValidationPipe on the chat request DTOs it is given (body or query) and rejects
 * requests over MAX_MESSAGES, MAX_MESSAGE_CHARS or MAX_TOKENS_CEILING.
 */
export class RequestLimitsPipe implements PipeTransform {
  constructor(
    private readonly limits: RequestLimits,
    private readonly dtos: ReadonlySet<unknown>,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (typeof value === 'object' && value !== null && this.dtos.has(metadata.metatype)) {
      checkRequestLimits(value as Record<string, unknown>, this.limits);
    }
    return value;
  }
}
