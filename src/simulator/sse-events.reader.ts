export interface RawSseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events, for tests and demo scripts that read the wire format. */
export class SseEventsReader {
  static parse(text: string): RawSseEvent[] {
    return text
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        const event: RawSseEvent = { data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice('event: '.length);
          else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
        }
        event.data = data.join('\n');
        return event;
      });
  }
}
