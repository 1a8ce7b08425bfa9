import { ContentReader } from './content.reader';
import { Conversation, ConversationTurn, ToolChoice, ToolSpec } from './conversation.model';
import { ReasoningPolicy } from './reasoning.policy';
import { JsonObject, RequestFields } from './request.fields';
import { SimulatorError } from './simulator.error';

const ROLES = ['system', 'developer', 'user', 'assistant'];
const THINKING_TYPES = ['enabled', 'disabled', 'auto'];
const EFFORTS = ['minimal', 'low', 'medium', 'high'];

export interface ResponsesRequest {
  body: JsonObject;
  conversation: Conversation;
  stream: boolean;
}

/** Validates a Responses API body and normalizes its input items into a conversation. */
export class ResponsesRequestParser {
  parse(value: unknown): ResponsesRequest {
    const body = RequestFields.body(value);
    const model = RequestFields.model(body);
    const instructions = typeof body.instructions === 'string' ? body.instructions : undefined;
    const turns = this.turns(body.input);
    if (instructions) turns.unshift({ role: 'system', text: instructions, images: 0 });
    const tools = this.tools(body.tools);
    const reasoning = RequestFields.isObject(body.reasoning) ? body.reasoning.effort : undefined;
    const thinking = RequestFields.isObject(body.thinking) ? body.thinking.type : undefined;
    RequestFields.oneOf(reasoning, 'reasoning.effort', EFFORTS);
    RequestFields.oneOf(thinking, 'thinking.type', THINKING_TYPES);
    return {
      body,
      conversation: {
        model,
        turns,
        tools,
        toolChoice: this.toolChoice(body.tool_choice, tools),
        reasoning: ReasoningPolicy.applies(model, thinking, reasoning),
        maxOutputTokens: RequestFields.positiveInteger(body, 'max_output_tokens'),
      },
      stream: RequestFields.boolean(body, 'stream') ?? false,
    };
  }

  private turns(input: unknown): ConversationTurn[] {
    if (input === undefined || input === null || input === '')
      throw SimulatorError.missing('input');
    if (typeof input === 'string') return [{ role: 'user', text: input, images: 0 }];
    if (!Array.isArray(input) || input.length === 0) {
      throw SimulatorError.badRequest('input must be a string or a non-empty array.', 'input');
    }
    return input.flatMap((item: unknown, index) => this.turn(item, `input.${index}`));
  }

  private turn(item: unknown, param: string): ConversationTurn[] {
    if (!RequestFields.isObject(item)) {
      throw SimulatorError.badRequest(`${param} must be an object.`, param);
    }
    switch (item.type) {
      case 'function_call_output': {
        const output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
        return [{ role: 'tool', text: output ?? '', images: 0 }];
      }
      case 'function_call':
        return [{ role: 'assistant', text: '', images: 0 }];
      case 'reasoning':
        return [];
      case undefined:
      case 'message': {
        const role = RequestFields.oneOf(item.role, `${param}.role`, ROLES);
        if (role === undefined) throw SimulatorError.missing(`${param}.role`);
        return [{ role, ...ContentReader.read(item.content, `${param}.content`) }];
      }
      default:
        throw SimulatorError.badRequest(`${param}.type is not a supported input item.`, param);
    }
  }

  /** Function tools only: built-in tools (web search and the like) are accepted and never called. */
  private tools(value: unknown): ToolSpec[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw SimulatorError.badRequest('tools must be an array.', 'tools');
    return value.flatMap((tool: unknown, index) => {
      if (!RequestFields.isObject(tool) || tool.type !== 'function') return [];
      if (typeof tool.name !== 'string' || tool.name === '') {
        throw SimulatorError.badRequest(`tools.${index}.name must be a non-empty string.`, 'tools');
      }
      return [{ name: tool.name, parameters: tool.parameters }];
    });
  }

  private toolChoice(value: unknown, tools: ToolSpec[]): ToolChoice {
    if (value === undefined || value === null) return 'auto';
    if (value === 'auto' || value === 'none' || value === 'required') return value;
    const name = RequestFields.isObject(value) ? value.name : undefined;
    if (typeof name !== 'string' || !tools.some((tool) => tool.name === name)) {
      throw SimulatorError.badRequest(
        'tool_choice must be auto, none, required or name one of the given function tools.',
        'tool_choice',
      );
    }
    return { name };
  }
}
