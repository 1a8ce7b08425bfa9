import type {
  Response,
  ResponseOutputItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';

/**
 * Follows a Responses API event stream to the Response it produced: the `response` of the
 * terminal event (`response.completed`, `.incomplete` or `.failed`), as MLflow records it; when
 * the stream stops before that, the announced response with the output items finished so far.
 */
export class ResponsesStreamAggregator {
  private announced?: Response;
  private final?: Response;
  private readonly items = new Map<number, ResponseOutputItem>();
  eventCount = 0;
  deltaCount = 0;

  add(event: ResponseStreamEvent): void {
    this.eventCount += 1;
    if (event.type.endsWith('.delta')) this.deltaCount += 1;
    switch (event.type) {
      case 'response.created':
      case 'response.queued':
      case 'response.in_progress':
        this.announced = event.response;
        break;
      case 'response.output_item.done':
        this.items.set(event.output_index, event.item);
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        this.final = event.response;
        break;
    }
  }

  /** Whether the stream reached its terminal event. */
  get finished(): boolean {
    return this.final !== undefined;
  }

  /** The `response.failed` event's error, if the response failed. */
  get failure(): Response['error'] | undefined {
    return this.final?.status === 'failed' ? (this.final.error ?? null) : undefined;
  }

  /** The final Response, or what is known of it; undefined before any event. */
  result(): Response | undefined {
    if (this.final) return this.final;
    if (!this.announced && this.items.size === 0) return undefined;
    const output = [...this.items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    return { ...(this.announced ?? { object: 'response' }), output } as Response;
  }
}
