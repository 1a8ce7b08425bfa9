import { MlflowErrorCode } from '../mlflow/mlflow.constants';
import type { MlflowPromptRegistryClient } from '../mlflow/mlflow-prompt-registry.client';
import { MlflowRequestError } from '../mlflow/mlflow-request.error';
import { PromptErrors } from './prompt.errors';
import type { PromptListDto } from './prompt-list.model';
import type { PromptRef } from './prompt-ref.model';
import { toPromptSummary } from './prompt-summary.mapper';
import type { PromptVersion } from './prompt-version.model';
import { isPromptTagged, toPromptVersion } from './prompt-version.mapper';

/** What the registry knows about a prompt as a whole. */
export interface PromptInfo {
  name: string;
  /** Alias → version. */
  aliases: Record<string, string>;
}

/**
 * Reads prompts from MLflow and says precisely what is missing: the prompt, the version or the
 * alias (a GatewayError 404). Any other failure is left as it is: the registry is unavailable.
 */
export class PromptRegistryReader {
  constructor(private readonly registry: MlflowPromptRegistryClient) {}

  async fetch(ref: PromptRef): Promise<PromptVersion> {
    try {
      const json =
        ref.version !== undefined
          ? await this.registry.getVersion(ref.name, ref.version)
          : await this.registry.getVersionByAlias(ref.name, ref.alias);
      return toPromptVersion(json);
    } catch (error) {
      throw await this.explain(ref, error);
    }
  }

  async info(name: string): Promise<PromptInfo> {
    try {
      const model = await this.registry.getRegisteredModel(name);
      if (!isPromptTagged(model.tags)) throw PromptErrors.notAPrompt(name);
      const aliases: Record<string, string> = {};
      for (const { alias, version } of model.aliases ?? []) aliases[alias] = String(version);
      return { name: model.name, aliases };
    } catch (error) {
      if (isMissing(error)) throw PromptErrors.unknownPrompt(name);
      throw error;
    }
  }

  /** One page of prompts; 400 for a page token MLflow rejects, 503 when MLflow fails. */
  async list(maxResults: number, pageToken?: string): Promise<PromptListDto> {
    try {
      const page = await this.registry.searchPrompts(maxResults, pageToken);
      const list: PromptListDto = { prompts: (page.registered_models ?? []).map(toPromptSummary) };
      if (page.next_page_token) list.nextPageToken = page.next_page_token;
      return list;
    } catch (error) {
      if (pageToken !== undefined && isInvalidParameter(error)) {
        throw PromptErrors.invalidPageToken((error as MlflowRequestError).message);
      }
      throw PromptErrors.listUnavailable(error);
    }
  }

  private async explain(ref: PromptRef, error: unknown): Promise<unknown> {
    if (ref.alias !== undefined) {
      if (isMissing(error)) return PromptErrors.unknownPrompt(ref.name);
      if (isUnknownAlias(error)) return PromptErrors.unknownAlias(ref.name, ref.alias);
      return error;
    }
    if (!isMissing(error)) return error;
    // model-versions/get says the same for an unknown prompt and an unknown version.
    try {
      await this.registry.getRegisteredModel(ref.name);
    } catch (lookup) {
      if (isMissing(lookup)) return PromptErrors.unknownPrompt(ref.name);
    }
    return PromptErrors.unknownVersion(ref.name, ref.version);
  }
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError && error.errorCode === MlflowErrorCode.resourceDoesNotExist
  );
}

function isInvalidParameter(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError && error.errorCode === MlflowErrorCode.invalidParameterValue
  );
}

/** MLflow 3.18: 400 INVALID_PARAMETER_VALUE "Registered model alias <alias> not found." */
function isUnknownAlias(error: unknown): boolean {
  return (
    error instanceof MlflowRequestError &&
    (error.errorCode === MlflowErrorCode.invalidParameterValue || error.status === 404) &&
    /alias .* not found/i.test(error.message)
  );
}
