import { ConversationTurn, ToolSpec } from './conversation.model';
import { RequestFields } from './request.fields';
import { TokenCounter } from './token.counter';

const QUOTED_WORDS = 24;
const REASONING_QUOTED_WORDS = 12;
const ARGUMENT_QUOTED_WORDS = 8;

/** Deterministic text for the simulated model, built from the conversation so tests can predict it. */
export class ReplyGenerator {
  /** "Simulated reply to: <last user message>", or an acknowledgement of a tool result; `tokens` words when given. */
  answerWords(turns: readonly ConversationTurn[], tokens?: number): string[] {
    const last = turns.at(-1);
    const words =
      last?.role === 'tool'
        ? ['Tool', 'result', 'received:', ...this.quote(last.text, QUOTED_WORDS)]
        : ['Simulated', 'reply', 'to:', ...this.quote(this.lastUserText(turns), QUOTED_WORDS)];
    return tokens === undefined ? words : this.cycle(words, tokens);
  }

  reasoningWords(turns: readonly ConversationTurn[]): string[] {
    const quote = this.quote(this.lastUserText(turns), REASONING_QUOTED_WORDS);
    return ['Thinking', 'about:', ...quote, '|', 'the', 'simulator', 'will', 'echo', 'it', 'back.'];
  }

  /** JSON arguments filling every property of the tool's schema with a sample value. */
  toolArguments(tool: ToolSpec, turns: readonly ConversationTurn[]): string {
    const subject = this.quote(this.lastUserText(turns), ARGUMENT_QUOTED_WORDS).join(' ');
    const schema = tool.parameters;
    const properties =
      RequestFields.isObject(schema) && RequestFields.isObject(schema.properties)
        ? schema.properties
        : {};
    const args = Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, this.sample(property, subject)]),
    );
    return JSON.stringify(args);
  }

  private sample(property: unknown, subject: string): unknown {
    if (!RequestFields.isObject(property)) return subject;
    if (Array.isArray(property.enum) && property.enum.length > 0) return property.enum[0];
    switch (property.type) {
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return [];
      case 'object':
        return {};
      default:
        return subject;
    }
  }

  private lastUserText(turns: readonly ConversationTurn[]): string {
    const user = turns.findLast((turn) => turn.role === 'user') ?? turns.at(-1);
    return user?.text ?? '';
  }

  private quote(text: string, limit: number): string[] {
    const words = TokenCounter.words(text).slice(0, limit);
    return words.length > 0 ? words : ['(empty)'];
  }

  private cycle(words: readonly string[], count: number): string[] {
    return Array.from({ length: count }, (_, index) => words[index % words.length]);
  }
}
