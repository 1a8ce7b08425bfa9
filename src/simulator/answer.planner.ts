import { Answer, FinishReason, ToolCallAnswer } from './answer.model';
import { Conversation, ToolSpec } from './conversation.model';
import { ReplyGenerator } from './reply.generator';
import { SimulatorIds } from './simulator.ids';
import { TokenCounter } from './token.counter';

const MESSAGE_OVERHEAD_TOKENS = 3;
const IMAGE_TOKENS = 85;
const TOOL_SCHEMA_CHARS_PER_TOKEN = 4;
const ARGUMENT_SLICE_CHARS = 8;

/**
 * Decides the simulated answer of a conversation: reasoning, text or a tool call, finish reason
 * and usage. Streaming and non-streaming replies render the same plan, so their usage agrees.
 */
export class AnswerPlanner {
  private readonly generator = new ReplyGenerator();

  /** `tokens` fixes the number of answer words (the simulator control's `tokens`). */
  plan(conversation: Conversation, tokens?: number): Answer {
    const promptTokens = this.promptTokens(conversation);
    const reasoningWords = conversation.reasoning
      ? this.generator.reasoningWords(conversation.turns)
      : [];
    const tool = this.toolToCall(conversation);
    if (tool) {
      const toolCall = this.toolCall(tool, conversation);
      return this.answer(promptTokens, reasoningWords, [], 'tool_calls', toolCall);
    }
    const limited = this.limit(
      conversation,
      reasoningWords,
      this.generator.answerWords(conversation.turns, tokens),
    );
    return this.answer(promptTokens, limited.reasoning, limited.answer, limited.finishReason);
  }

  private limit(conversation: Conversation, reasoning: string[], answer: string[]) {
    const { maxOutputTokens, maxAnswerTokens } = conversation;
    const reasoningKept = reasoning.slice(0, maxOutputTokens ?? reasoning.length);
    const room = Math.min(
      maxAnswerTokens ?? answer.length,
      (maxOutputTokens ?? Infinity) - reasoningKept.length,
    );
    const answerKept = answer.slice(0, Math.max(0, room));
    const cut = reasoningKept.length < reasoning.length || answerKept.length < answer.length;
    const finishReason: FinishReason = cut ? 'length' : 'stop';
    return { reasoning: reasoningKept, answer: answerKept, finishReason };
  }

  private toolToCall(conversation: Conversation): ToolSpec | undefined {
    const { tools, toolChoice, turns } = conversation;
    if (tools.length === 0 || toolChoice === 'none' || turns.at(-1)?.role === 'tool') return;
    if (typeof toolChoice === 'object') return tools.find((tool) => tool.name === toolChoice.name);
    return tools[0];
  }

  private toolCall(tool: ToolSpec, conversation: Conversation): ToolCallAnswer {
    const args = this.generator.toolArguments(tool, conversation.turns);
    return {
      id: SimulatorIds.prefixed('call'),
      name: tool.name,
      arguments: args,
      argumentPieces: TokenCounter.slices(args, ARGUMENT_SLICE_CHARS),
    };
  }

  private promptTokens(conversation: Conversation): number {
    const turns = conversation.turns.reduce(
      (sum, turn) =>
        sum + TokenCounter.count(turn.text) + turn.images * IMAGE_TOKENS + MESSAGE_OVERHEAD_TOKENS,
      0,
    );
    const tools = conversation.tools.length
      ? Math.ceil(JSON.stringify(conversation.tools).length / TOOL_SCHEMA_CHARS_PER_TOKEN)
      : 0;
    return turns + tools;
  }

  private answer(
    promptTokens: number,
    reasoningWords: string[],
    answerWords: string[],
    finishReason: FinishReason,
    toolCall?: ToolCallAnswer,
  ): Answer {
    const reasoningPieces = TokenCounter.pieces(reasoningWords);
    const contentPieces = TokenCounter.pieces(answerWords);
    const completionTokens =
      reasoningPieces.length + contentPieces.length + (toolCall?.argumentPieces.length ?? 0);
    return {
      reasoning: reasoningPieces.join(''),
      reasoningPieces,
      content: contentPieces.join(''),
      contentPieces,
      toolCall,
      finishReason,
      usage: {
        promptTokens,
        completionTokens,
        reasoningTokens: reasoningPieces.length,
        cachedTokens: 0,
        totalTokens: promptTokens + completionTokens,
      },
    };
  }
}
