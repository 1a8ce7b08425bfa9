import { MlflowLimit } from '../mlflow/mlflow.constants';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .filter((part): part is Json => isObject(part) && typeof part.text === 'string')
    .map((part) => part.text as string);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

function lastMessageText(messages: unknown, role: string): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message: unknown = messages[i];
    if (isObject(message) && message.role === role) return textOf(message.content);
  }
  return undefined;
}

/** Cuts to MLflow's 1000-character preview limit the way MLflow does (997 + "..."). */
export function truncatePreview(text: string): string {
  const max = MlflowLimit.previewChars;
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** The request preview: the last user message when the inputs look like a chat, else the JSON. */
export function requestPreview(inputs: unknown): string | undefined {
  if (inputs === undefined) return undefined;
  if (isObject(inputs)) {
    // Chat `messages`, an app or Responses `input` string, or Responses input items.
    const text =
      typeof inputs.input === 'string'
        ? inputs.input
        : (lastMessageText(inputs.messages, 'user') ?? lastMessageText(inputs.input, 'user'));
    if (text !== undefined) return truncatePreview(text);
  }
  return truncatePreview(stringify(inputs));
}

/** The response preview: the assistant's text when the outputs look like a chat answer. */
export function responsePreview(outputs: unknown): string | undefined {
  if (outputs === undefined) return undefined;
  if (isObject(outputs)) {
    const choices = outputs.choices;
    if (Array.isArray(choices) && isObject(choices[0]) && isObject(choices[0].message)) {
      const text = textOf(choices[0].message.content);
      if (text !== undefined) return truncatePreview(text);
    }
    if (typeof outputs.content === 'string') return truncatePreview(outputs.content);
    if (typeof outputs.output_text === 'string') return truncatePreview(outputs.output_text);
    const fromItems = lastMessageText(outputs.output, 'assistant');
    if (fromItems !== undefined) return truncatePreview(fromItems);
  }
  return truncatePreview(stringify(outputs));
}
