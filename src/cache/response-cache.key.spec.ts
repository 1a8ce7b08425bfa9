import { responseCacheKey } from './response-cache.key';

const REQUEST = {
  model: 'seed-1-6-250615',
  messages: [{ role: 'user', content: 'hi' }],
  temperature: 0.2,
};

describe(responseCacheKey.name, () => {
  it('is the same for the same request, whatever the order of its fields', () => {
    const reordered = { temperature: 0.2, messages: REQUEST.messages, model: REQUEST.model };

    expect(responseCacheKey('alpha', reordered)).toBe(responseCacheKey('alpha', REQUEST));
  });

  it('is the same for a request asking for a stream', () => {
    const streamed = { ...REQUEST, stream: true, stream_options: { include_usage: true } };

    expect(responseCacheKey('alpha', streamed)).toBe(
      responseCacheKey('alpha', { ...REQUEST, stream: false }),
    );
  });

  it.each([
    ['another caller', 'beta', REQUEST],
    ['another parameter', 'alpha', { ...REQUEST, temperature: 0.3 }],
    ['another message', 'alpha', { ...REQUEST, messages: [{ role: 'user', content: 'ho' }] }],
    ['tools', 'alpha', { ...REQUEST, tools: [{ type: 'function' }] }],
  ])('differs for %s', (_, scope, request) => {
    expect(responseCacheKey(scope, request)).not.toBe(responseCacheKey('alpha', REQUEST));
  });
});
