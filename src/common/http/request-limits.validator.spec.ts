import { checkRequestLimits, contentChars } from './request-limits.validator';

const limits = { maxMessages: 2, maxMessageChars: 5, maxTokensCeiling: 10 };
const user = (content: unknown) => ({ role: 'user', content });

function paramOf(request: Record<string, unknown>, overrides = {}): string | null | undefined {
  try {
    checkRequestLimits(request, { ...limits, ...overrides });
    return undefined;
  } catch (error) {
    return (error as { param: string | null }).param;
  }
}

describe(checkRequestLimits.name, () => {
  it('accepts requests at the limits', () => {
    expect(paramOf({ messages: [user('12345'), user('x')], max_tokens: 10 })).toBeUndefined();
    expect(paramOf({ input: '12345', max_output_tokens: 10 })).toBeUndefined();
  });

  it.each([
    ['too many messages', { messages: [user('a'), user('b'), user('c')] }, 'messages'],
    ['a long message', { messages: [user('a'), user('123456')] }, 'messages.1.content'],
    [
      'text parts long together',
      {
        messages: [
          user([
            { type: 'text', text: '123' },
            { type: 'text', text: '456' },
          ]),
        ],
      },
      'messages.0.content',
    ],
    ['a long input', { input: '123456' }, 'input'],
    ['too many input items', { input: [user('a'), user('b'), user('c')] }, 'input'],
    ['long instructions', { input: 'a', instructions: '123456' }, 'instructions'],
    ['max_tokens over the ceiling', { max_tokens: 11 }, 'max_tokens'],
    [
      'max_completion_tokens over the ceiling',
      { max_completion_tokens: 11 },
      'max_completion_tokens',
    ],
    ['max_output_tokens over the ceiling', { max_output_tokens: 11 }, 'max_output_tokens'],
  ])('rejects %s, naming the field', (_case, request, param) => {
    expect(paramOf(request)).toBe(param);
  });

  it('has no token ceiling when none is configured', () => {
    expect(paramOf({ max_tokens: 1_000_000 }, { maxTokensCeiling: undefined })).toBeUndefined();
  });

  it('counts only text in content parts', () => {
    expect(
      contentChars([{ type: 'image_url', image_url: { url: 'x'.repeat(99) } }, { text: 'ab' }]),
    ).toBe(2);
    expect(contentChars(null)).toBe(0);
  });
});
