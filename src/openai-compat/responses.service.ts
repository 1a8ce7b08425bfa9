import { Injectable } from '@nestjs/common';
import type { Response, ResponseErrorEvent } from 'openai/resources/responses/responses';
import { toErrorResponse } from '../common/errors/error-response.mapper';
import type { SseBody } from '../common/sse/sse-body';
import { LlmStreamRelay } from '../llm/llm-stream.relay';
import { ResponsesLlmService } from '../llm/responses-llm.service';
import { ResponsesRequestDto } from './responses-request.dto';

/** OpenAI's Responses API, answered exactly in OpenAI's wire format. */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly llm: ResponsesLlmService,
    private readonly relay: LlmStreamRelay,
  ) {}

  async create(request: ResponsesRequestDto, signal: AbortSignal): Promise<Response> {
    const { data } = await this.llm.createResponse(request, { signal });
    return data;
  }

  /**
   * Starts the upstream stream (errors before it starts are thrown, so they keep their status),
   * then relays each event as `event: <type>` / `data: <event>`; no `[DONE]`, as OpenAI does.
   */
  async stream(request: ResponsesRequestDto, signal: AbortSignal): Promise<SseBody> {
    const { data: events } = await this.llm.streamResponse(request, { signal });
    let nextSequence = 0;
    return this.relay.relay(events, {
      signal,
      framing: {
        item: (event, sse) => {
          nextSequence = (event.sequence_number ?? nextSequence) + 1;
          return sse.event(event.type, event);
        },
        fail: (error, sse) => sse.event('error', errorEvent(error, nextSequence)),
      },
    });
  }
}

/** OpenAI's stream `error` event, which its SDKs raise as an APIError. */
function errorEvent(error: unknown, sequenceNumber: number): ResponseErrorEvent {
  const { message, code, param } = toErrorResponse(error).body.error;
  return { type: 'error', code, message, param, sequence_number: sequenceNumber };
}
