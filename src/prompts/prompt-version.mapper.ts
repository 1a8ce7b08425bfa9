import { MlflowPromptTag, MlflowPromptType } from '../mlflow/mlflow.constants';
import type { ModelVersionJson, RegistryTagJson } from '../mlflow/mlflow-registry.model';
import { PromptErrors } from './prompt.errors';
import { templateVariables } from './prompt-template.renderer';
import type { PromptChatMessage, PromptVersion } from './prompt-version.model';

/** True when registry tags mark a registered model or version as a prompt. */
export function isPromptTagged(tags: RegistryTagJson[] | undefined): boolean {
  return tags?.some((tag) => tag.key === MlflowPromptTag.isPrompt && tag.value === 'true') ?? false;
}

/** A model version of the registry as a prompt version; 404 when it is not a prompt. */
export function toPromptVersion(json: ModelVersionJson): PromptVersion {
  const tags = new Map((json.tags ?? []).map((tag) => [tag.key, tag.value]));
  const text = tags.get(MlflowPromptTag.text);
  if (!isPromptTagged(json.tags) || text === undefined) throw PromptErrors.notAPrompt(json.name);
  const template = parseTemplate(tags.get(MlflowPromptTag.type), text);
  if (template === undefined) {
    throw PromptErrors.unsupported(
      json.name,
      json.version,
      'its chat template is not a JSON list of {role, content} messages',
    );
  }
  const prompt: PromptVersion = {
    name: json.name,
    version: String(json.version),
    type: typeof template === 'string' ? 'text' : 'chat',
    template,
    variables: templateVariables(template),
    syntax: usesJinja(template) ? 'jinja2' : 'double-brace',
  };
  const modelConfig = parseJson(tags.get(MlflowPromptTag.modelConfig));
  if (isRecord(modelConfig)) prompt.modelConfig = modelConfig;
  const responseFormat = parseJson(tags.get(MlflowPromptTag.responseFormat));
  if (responseFormat !== undefined) prompt.responseFormat = responseFormat;
  if (json.description) prompt.commitMessage = json.description;
  if (json.creation_timestamp !== undefined) prompt.createdAt = Number(json.creation_timestamp);
  return prompt;
}

/**
 * The type tag decides; without one a JSON list of messages is a chat prompt, as MLflow reads it.
 * Undefined when a version tagged chat does not hold messages.
 */
function parseTemplate(
  type: string | undefined,
  text: string,
): string | PromptChatMessage[] | undefined {
  if (type === MlflowPromptType.text) return text;
  const parsed = parseJson(text);
  const messages = Array.isArray(parsed) && parsed.every(isChatMessage) ? parsed : undefined;
  if (type === MlflowPromptType.chat) return messages;
  return messages ?? text;
}

function isChatMessage(value: unknown): value is PromptChatMessage {
  if (!isRecord(value) || typeof value.role !== 'string') return false;
  return typeof value.content === 'string' || Array.isArray(value.content);
}

/** MLflow renders a template with Jinja2 when it holds `{% ... %}` control flow. */
function usesJinja(template: string | PromptChatMessage[]): boolean {
  const texts =
    typeof template === 'string'
      ? [template]
      : template.map((message) =>
          typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
        );
  return texts.some((text) => text.includes('{%') && text.includes('%}'));
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
