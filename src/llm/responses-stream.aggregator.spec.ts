import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ResponsesStreamAggregator } from './responses-stream.aggregator';

const envelope = {
  id: 'resp_1',
  object: 'response',
  model: 'seed',
  output: [],
} as unknown as Response;
const message = {
  type: 'message',
  id: 'msg_1',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text: 'Hi', annotations: [] }],
};
const reasoning = { type: 'reasoning', id: 'rs_1', summary: [], status: 'completed' };

const event = (fields: Record<string, unknown>) => fields as unknown as ResponseStreamEvent;

describe(ResponsesStreamAggregator.name, () => {
  it('takes the response of response.completed as it is', () => {
    const sut = new ResponsesStreamAggregator();
    const completed = {
      ...envelope,
      status: 'completed',
      output: [message],
      usage: { total_tokens: 3 },
    };
    sut.add(event({ type: 'response.created', response: { ...envelope, status: 'in_progress' } }));
    sut.add(event({ type: 'response.output_text.delta', delta: 'Hi' }));
    sut.add(event({ type: 'response.completed', response: completed }));

    expect(sut.result()).toBe(completed);
    expect(sut.finished).toBe(true);
    expect(sut.failure).toBeUndefined();
    expect([sut.eventCount, sut.deltaCount]).toEqual([3, 1]);
  });

  it('falls back to the announced response with the items finished so far, in output order', () => {
    const sut = new ResponsesStreamAggregator();
    sut.add(
      event({ type: 'response.in_progress', response: { ...envelope, status: 'in_progress' } }),
    );
    sut.add(event({ type: 'response.output_item.done', output_index: 1, item: message }));
    sut.add(event({ type: 'response.output_item.done', output_index: 0, item: reasoning }));

    expect(sut.finished).toBe(false);
    expect(sut.result()).toEqual({
      ...envelope,
      status: 'in_progress',
      output: [reasoning, message],
    });
  });

  it('is undefined before any response or item arrived', () => {
    expect(new ResponsesStreamAggregator().result()).toBeUndefined();
  });

  it('reports the error of response.failed', () => {
    const sut = new ResponsesStreamAggregator();
    const error = { code: 'server_error', message: 'boom' };
    sut.add(event({ type: 'response.failed', response: { ...envelope, status: 'failed', error } }));

    expect(sut.finished).toBe(true);
    expect(sut.failure).toEqual(error);
  });
});
