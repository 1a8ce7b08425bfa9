import { PromptErrors } from './prompt.errors';
import type { PromptChatMessage, PromptVersion } from './prompt-version.model';

/** MLflow's placeholder: `{{ name }}` or `{{ a.b }}`, spaces inside the braces optional. */
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*)\s*\}\}/g;

export type RenderedPrompt = string | PromptChatMessage[];

/** Placeholder names of a template, in order of first appearance. */
export function templateVariables(template: string | PromptChatMessage[]): string[] {
  const names = new Set<string>();
  for (const text of templateTexts(template)) {
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
  }
  return [...names];
}

/**
 * Fills every placeholder of the prompt in one pass (a value containing `{{x}}` is not rendered
 * again). A variable with no value is a 400 naming all that are missing; extra values are ignored.
 */
export function renderPrompt(
  prompt: PromptVersion,
  variables: Record<string, unknown>,
): RenderedPrompt {
  const missing = prompt.variables.filter((name) => lookUp(variables, name) === undefined);
  if (missing.length > 0) throw PromptErrors.missingVariables(prompt.name, prompt.version, missing);
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_match, name: string) => toText(lookUp(variables, name)));
  if (typeof prompt.template === 'string') return fill(prompt.template);
  return prompt.template.map((message) => ({
    ...message,
    content:
      typeof message.content === 'string'
        ? fill(message.content)
        : message.content.map((part) =>
            typeof part.text === 'string' ? { ...part, text: fill(part.text) } : part,
          ),
  }));
}

/** `a.b` is the key "a.b" when given so (as MLflow reads it), else field b of object a. */
function lookUp(variables: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(variables, name)) return variables[name] ?? undefined;
  let value: unknown = variables;
  for (const key of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? undefined;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}

function templateTexts(template: string | PromptChatMessage[]): string[] {
  if (typeof template === 'string') return [template];
  return template.flatMap((message) =>
    typeof message.content === 'string'
      ? [message.content]
      : message.content.flatMap((part) => (typeof part.text === 'string' ? [part.text] : [])),
  );
}
