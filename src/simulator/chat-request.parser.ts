import { ContentReader } from './content.reader';
import { Conversation, ConversationTurn, ToolChoice, ToolSpec } from './conversation.model';
import { ReasoningPolicy } from './reasoning.policy';
import { RequestFields } from './request.fields';
import { SimulatorError } from './simulator.error';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const THINKING_TYPES = ['enabled', 'disabled', 'auto'];
const EFFORTS = ['minimal', 'low', 'medium', 'high'];

export interface ChatRequest {
  conversation: Conversation;
  stream: boolean;
  includeUsage: boolean;
}

/** Validates a chat completions body the way ModelArk does and normalizes it. */
export class ChatRequestParser {
  parse(value: unknown): ChatRequest {
    const body = RequestFields.body(value);
    const model = RequestFields.model(body);
    const turns = this.turns(body.messages);
    const tools = this.tools(body.tools);
    const maxAnswerTokens = RequestFields.positiveInteger(body, 'max_tokens');
    const maxOutputTokens = RequestFields.positiveInteger(body, 'max_completion_tokens');
    if (maxAnswerTokens !== undefined && maxOutputTokens !== undefined) {
      throw SimulatorError.badRequest(
        'max_tokens and max_completion_tokens are mutually exclusive; set only one of them.',
        'max_completion_tokens',
      );
    }
    const thinking = RequestFields.isObject(body.thinking) ? body.thinking.type : undefined;
    RequestFields.oneOf(thinking, 'thinking.type', THINKING_TYPES);
    const effort = RequestFields.oneOf(body.reasoning_effort, 'reasoning_effort', EFFORTS);
    const options = RequestFields.isObject(body.stream_options) ? body.stream_options : {};
    return {
      conversation: {
        model,
        turns,
        tools,
        toolChoice: this.toolChoice(body.tool_choice, tools),
        reasoning: ReasoningPolicy.applies(model, thinking, effort),
        maxAnswerTokens,
        maxOutputTokens,
      },
      stream: RequestFields.boolean(body, 'stream') ?? false,
      includeUsage: options.include_usage === true,
    };
  }

  private turns(messages: unknown): ConversationTurn[] {
    if (messages === undefined || messages === null) throw SimulatorError.missing('messages');
    if (!Array.isArray(messages) || messages.length === 0) {
      throw SimulatorError.badRequest('messages must be a non-empty array.', 'messages');
    }
    return messages.map((message: unknown, index) => {
      const param = `messages.${index}`;
      if (!RequestFields.isObject(message)) {
        throw SimulatorError.badRequest(`${param} must be an object.`, param);
      }
      const role = RequestFields.oneOf(message.role, `${param}.role`, ROLES);
      if (role === undefined) throw SimulatorError.missing(`${param}.role`);
      if (role !== 'assistant' && (message.content === undefined || message.content === null)) {
        throw SimulatorError.missing(`${param}.content`);
      }
      return { role, ...ContentReader.read(message.content, `${param}.content`) };
    });
  }

  private tools(value: unknown): ToolSpec[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw SimulatorError.badRequest('tools must be an array.', 'tools');
    return value.map((tool: unknown, index) => {
      const fn = RequestFields.isObject(tool) ? tool.function : undefined;
      if (!RequestFields.isObject(fn) || typeof fn.name !== 'string' || fn.name === '') {
        const param = `tools.${index}.function.name`;
        throw SimulatorError.badRequest(`${param} must be a non-empty string.`, param);
      }
      return { name: fn.name, parameters: fn.parameters };
    });
  }

  private toolChoice(value: unknown, tools: ToolSpec[]): ToolChoice {
    if (value === undefined || value === null) return 'auto';
    if (value === 'auto' || value === 'none' || value === 'required') return value;
    const fn = RequestFields.isObject(value) ? value.function : undefined;
    const name = RequestFields.isObject(fn) ? fn.name : undefined;
    if (typeof name !== 'string' || !tools.some((tool) => tool.name === name)) {
      throw SimulatorError.badRequest(
        'tool_choice must be auto, none, required or name one of the given tools.',
        'tool_choice',
      );
    }
    return { name };
  }
}
