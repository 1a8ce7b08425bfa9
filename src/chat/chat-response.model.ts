import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChatUsageDto {
  @ApiProperty({ example: 14 })
  promptTokens: number;

  @ApiProperty({ example: 8 })
  completionTokens: number;

  @ApiProperty({ example: 22 })
  totalTokens: number;

  @ApiPropertyOptional({ example: 0 })
  reasoningTokens?: number;
}

export class ChatToolCallDto {
  @ApiProperty({ example: 'call_0' })
  id: string;

  @ApiProperty({ example: 'get_weather' })
  name: string;

  @ApiProperty({ example: '{"city":"Paris"}', description: 'JSON-encoded arguments' })
  arguments: string;
}

/** The app-level chat answer (and the payload of the SSE `done` event, without `content`). */
export class ChatResponseDto {
  @ApiProperty({ example: '0217326432517236f9e0c4a94c2a1d0e3ad8f1b9c3a6d6e0b8e33' })
  id: string;

  @ApiProperty({ example: 'seed-1-6-250615' })
  model: string;

  @ApiProperty({ type: String, nullable: true, example: 'Paris is the capital of France.' })
  content: string | null;

  @ApiPropertyOptional({ description: "The model's reasoning (ModelArk reasoning_content)" })
  reasoning?: string;

  @ApiPropertyOptional({ type: [ChatToolCallDto] })
  toolCalls?: ChatToolCallDto[];

  @ApiProperty({ example: 'stop', description: 'stop, length, tool_calls or content_filter' })
  finishReason: string;

  @ApiPropertyOptional({ type: ChatUsageDto })
  usage?: ChatUsageDto;

  @ApiPropertyOptional({
    example: 'tr-4bf92f3577b34da6a3ce929d0e0e4736',
    description: 'MLflow trace id of this call (also in the x-mlflow-trace-id header)',
  })
  traceId?: string;
}
