import type { PromptReferenceDto } from './prompt-reference.dto';

const VARIABLE_PREFIX = 'var.';
const SCHEME = 'prompts:/';

/**
 * A GET query's prompt as the `prompt` object of a body: `prompt` is a URI (`prompts:/` may be
 * left out; a bare name means the latest version), `var.<name>` parameters are its variables.
 * The `var.` parameters leave the query; without `prompt` they are dropped.
 */
export function promptFromQuery<Q extends { prompt?: string }>(
  query: Q,
): Omit<Q, 'prompt'> & { prompt?: PromptReferenceDto } {
  const rest: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === 'prompt') continue;
    if (key.startsWith(VARIABLE_PREFIX)) variables[key.slice(VARIABLE_PREFIX.length)] = value;
    else rest[key] = value;
  }
  const result = rest as Omit<Q, 'prompt'> & { prompt?: PromptReferenceDto };
  const uri = query.prompt;
  if (uri === undefined) return result;
  const reference: PromptReferenceDto = uri.startsWith(SCHEME)
    ? { uri }
    : /[@/]/.test(uri)
      ? { uri: SCHEME + uri }
      : { name: uri };
  result.prompt = { ...reference, variables };
  return result;
}
