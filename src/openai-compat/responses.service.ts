import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Readable } from 'node:stream';
import type {
  Response,
  ResponseErrorEvent,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { toErrorResponse } from '../common/errors/error-response.mapper';
import { SseStream } from '../common/sse/sse.stream';
import { appConfig } from '../config/app.config';
import { ResponsesLlmService } from '../llm/responses-llm.service';
import { ResponsesStreamAggregator } from '../llm/responses-stream.aggregator';
import { Tracer } from '../tracing/tracer';
import { ResponsesRequestDto } from './responses-request.dto';

/** OpenAI's Responses API, answered exactly in OpenAI's wire format. */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly llm: ResponsesLlmService,
    private readonly tracer: Tracer,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  async create(request: ResponsesRequestDto, signal: AbortSignal): Promise<Response> {
    const { data } = await this.llm.createResponse(request, { signal });
    return data;
  }

  /**
   * Starts the upstream stream (errors before it starts are thrown, so they keep their status),
   * then relays each event as `event: <type>` / `data: <event>`; no `[DONE]`, as OpenAI does.
   */
  async stream(request: ResponsesRequestDto, signal: AbortSignal): Promise<Readable> {
    const { data: events } = await this.llm.streamResponse(request, { signal });
    const sse = new SseStream(this.config.sseKeepAliveMs);
    void this.relay(events, sse);
    return sse.readable;
  }

  private async relay(events: AsyncIterable<ResponseStreamEvent>, sse: SseStream): Promise<void> {
    const root = this.tracer.currentRoot();
    const aggregator = new ResponsesStreamAggregator();
    let nextSequence = 0;
    try {
      for await (const event of events) {
        if (!sse.open) break;
        aggregator.add(event);
        nextSequence = (event.sequence_number ?? nextSequence) + 1;
        await sse.event(event.type, event);
      }
    } catch (error) {
      root?.recordException(error);
      await sse.event('error', this.errorEvent(error, nextSequence));
    } finally {
      const response = aggregator.result();
      if (response) root?.setOutputs(response);
      sse.end();
    }
  }

  /** OpenAI's stream `error` event, which its SDKs raise as an APIError. */
  private errorEvent(error: unknown, sequenceNumber: number): ResponseErrorEvent {
    const { message, code, param } = toErrorResponse(error).body.error;
    return { type: 'error', code, message, param, sequence_number: sequenceNumber };
  }
}
