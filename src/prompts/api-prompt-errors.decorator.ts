import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROMPT_ERROR_EXAMPLES } from './prompt-examples';

/** Documents the prompt failures (OpenAI's error envelope) a route can answer with. */
export function ApiPromptErrors(...statuses: (keyof typeof PROMPT_ERROR_EXAMPLES)[]) {
  return applyDecorators(
    ...statuses.map((status) => {
      const { description, error } = PROMPT_ERROR_EXAMPLES[status];
      return ApiResponse({
        status,
        description,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/OpenAiErrorDto' },
            example: { error },
          },
        },
      });
    }),
  );
}
