import { requestPreview, responsePreview, truncatePreview } from './trace-preview';

describe('trace previews', () => {
  it('takes the last user message of a chat request, text parts joined', () => {
    const inputs = {
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url' },
            { type: 'text', text: 'here' },
          ],
        },
      ],
    };
    expect(requestPreview(inputs)).toBe('look\nhere');
  });

  it('takes `input` of an app request and the content of an app answer', () => {
    expect(requestPreview({ input: 'Hello' })).toBe('Hello');
    expect(responsePreview({ content: 'Hi!', finishReason: 'stop' })).toBe('Hi!');
  });

  it('reads Responses input items and output messages', () => {
    const inputs = { input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }] };
    const outputs = {
      output: [
        { type: 'reasoning', summary: [] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello!' }] },
      ],
    };
    expect(requestPreview(inputs)).toBe('Hi');
    expect(responsePreview(outputs)).toBe('Hello!');
  });

  it('falls back to JSON for other shapes', () => {
    expect(requestPreview({ a: 1 })).toBe('{"a":1}');
    expect(responsePreview(undefined)).toBeUndefined();
  });

  it('cuts to 1000 characters with an ellipsis, as MLflow does', () => {
    const cut = truncatePreview('x'.repeat(1500));
    expect(cut).toHaveLength(1000);
    expect(cut.endsWith('...')).toBe(true);
    expect(truncatePreview('short')).toBe('short');
  });
});
