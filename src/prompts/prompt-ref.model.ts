/** Which prompt version a request means: a pinned version, or an alias (`latest` = newest). */
export type PromptRef =
  | { name: string; version: string; alias?: undefined }
  | { name: string; alias: string; version?: undefined };

/** The MLflow URI of a reference: `prompts:/name/3` or `prompts:/name@alias`. */
export function promptRefUri(ref: PromptRef): string {
  return ref.version !== undefined
    ? `prompts:/${ref.name}/${ref.version}`
    : `prompts:/${ref.name}@${ref.alias}`;
}
