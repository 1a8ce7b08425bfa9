import { ApiProperty } from '@nestjs/swagger';

class OpenAiErrorDetailDto {
  @ApiProperty({ example: 'messages must contain at least 1 elements' })
  message: string;

  @ApiProperty({ example: 'invalid_request_error' })
  type: string;

  @ApiProperty({ type: String, nullable: true, example: 'messages' })
  param: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'invalid_request' })
  code: string | null;
}

/** OpenAI's error envelope, documented once for every route. */
export class OpenAiErrorDto {
  @ApiProperty({ type: OpenAiErrorDetailDto })
  error: OpenAiErrorDetailDto;
}
