import { AnswerPlanner } from './answer.planner';
import { Conversation } from './conversation.model';

describe(AnswerPlanner.name, () => {
  let sut: AnswerPlanner;

  beforeEach(() => {
    sut = new AnswerPlanner();
  });

  const conversation = (overrides: Partial<Conversation> = {}): Conversation => ({
    model: 'm',
    turns: [{ role: 'user', text: 'one two three', images: 0 }],
    tools: [],
    toolChoice: 'auto',
    reasoning: false,
    ...overrides,
  });

  it('echoes the last user message and counts words as tokens', () => {
    const answer = sut.plan(conversation());

    expect(answer.content).toBe('Simulated reply to: one two three');
    expect(answer.contentPieces).toHaveLength(6);
    expect(answer.finishReason).toBe('stop');
    expect(answer.usage).toEqual({
      promptTokens: 3 + 3,
      completionTokens: 6,
      reasoningTokens: 0,
      cachedTokens: 0,
      totalTokens: 12,
    });
  });

  it('repeats the sentence to reach the requested number of tokens', () => {
    const answer = sut.plan(conversation(), 8);

    expect(answer.contentPieces).toHaveLength(8);
    expect(answer.content).toBe('Simulated reply to: one two three Simulated reply');
  });

  it('quotes "(empty)" when the user said nothing', () => {
    const answer = sut.plan(conversation({ turns: [{ role: 'user', text: ' ', images: 0 }] }));

    expect(answer.content).toBe('Simulated reply to: (empty)');
  });

  it('counts reasoning as completion tokens', () => {
    const answer = sut.plan(conversation({ reasoning: true }));

    expect(answer.reasoningPieces.length).toBeGreaterThan(0);
    expect(answer.usage.reasoningTokens).toBe(answer.reasoningPieces.length);
    expect(answer.usage.completionTokens).toBe(
      answer.reasoningPieces.length + answer.contentPieces.length,
    );
  });

  it('limits the answer alone with maxAnswerTokens', () => {
    const answer = sut.plan(conversation({ reasoning: true, maxAnswerTokens: 2 }));

    expect(answer.contentPieces).toEqual(['Simulated ', 'reply']);
    expect(answer.reasoningPieces.length).toBeGreaterThan(2);
    expect(answer.finishReason).toBe('length');
  });

  it('limits reasoning and answer together with maxOutputTokens', () => {
    const answer = sut.plan(conversation({ reasoning: true, maxOutputTokens: 3 }));

    expect(answer.reasoningPieces).toHaveLength(3);
    expect(answer.contentPieces).toHaveLength(0);
    expect(answer.usage.completionTokens).toBe(3);
    expect(answer.finishReason).toBe('length');
  });

  it('does not report length when the answer fits exactly', () => {
    expect(sut.plan(conversation({ maxAnswerTokens: 6 })).finishReason).toBe('stop');
  });

  it('calls a tool and counts its argument pieces', () => {
    const answer = sut.plan(
      conversation({
        tools: [{ name: 'lookup', parameters: { properties: { q: { type: 'string' } } } }],
      }),
    );

    expect(answer.toolCall).toMatchObject({ name: 'lookup', arguments: '{"q":"one two three"}' });
    expect(answer.toolCall?.argumentPieces.join('')).toBe(answer.toolCall?.arguments);
    expect(answer.content).toBe('');
    expect(answer.finishReason).toBe('tool_calls');
    expect(answer.usage.completionTokens).toBe(answer.toolCall?.argumentPieces.length);
  });

  it('counts tool schemas and images in the prompt', () => {
    const plain = sut.plan(conversation()).usage.promptTokens;
    const withImage = sut.plan(
      conversation({ turns: [{ role: 'user', text: 'one two three', images: 2 }] }),
    );
    const withTools = sut.plan(conversation({ tools: [{ name: 't' }], toolChoice: 'none' }));

    expect(withImage.usage.promptTokens).toBe(plain + 2 * 85);
    expect(withTools.usage.promptTokens).toBeGreaterThan(plain);
  });

  describe('tools', () => {
    const tools = [{ name: 'first' }, { name: 'second' }];

    it('calls the tool that tool_choice forces', () => {
      const answer = sut.plan(conversation({ tools, toolChoice: { name: 'second' } }));

      expect(answer.toolCall).toMatchObject({ name: 'second', arguments: '{}' });
    });

    it('answers with text when tool_choice is none', () => {
      const answer = sut.plan(conversation({ tools, toolChoice: 'none' }));

      expect(answer.toolCall).toBeUndefined();
      expect(answer.content).toBe('Simulated reply to: one two three');
    });

    it('acknowledges a tool result instead of calling again', () => {
      const answer = sut.plan(
        conversation({
          tools,
          turns: [
            { role: 'user', text: 'weather?', images: 0 },
            { role: 'assistant', text: '', images: 0 },
            { role: 'tool', text: '{"temp":21}', images: 0 },
          ],
        }),
      );

      expect(answer.toolCall).toBeUndefined();
      expect(answer.content).toBe('Tool result received: {"temp":21}');
    });
  });
});
