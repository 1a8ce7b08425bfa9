import type { RegisteredModelJson } from '../mlflow/mlflow-registry.model';
import type { PromptSummaryDto } from './prompt-summary.model';

/** A registered model from a prompt search as a list entry: its newest version and aliases. */
export function toPromptSummary(model: RegisteredModelJson): PromptSummaryDto {
  const latest = (model.latest_versions ?? []).reduce<
    NonNullable<RegisteredModelJson['latest_versions']>[number] | undefined
  >(
    (newest, version) =>
      newest === undefined || Number(version.version) > Number(newest.version) ? version : newest,
    undefined,
  );
  const aliases: Record<string, string> = {};
  for (const { alias, version } of model.aliases ?? []) aliases[alias] = String(version);
  const summary: PromptSummaryDto = { name: model.name, aliases };
  if (latest) summary.latestVersion = String(latest.version);
  if (model.description) summary.description = model.description;
  if (latest?.description) summary.commitMessage = latest.description;
  const updated = Number(model.last_updated_timestamp);
  if (model.last_updated_timestamp !== undefined && Number.isFinite(updated)) {
    summary.updatedAt = new Date(updated).toISOString();
  }
  return summary;
}
